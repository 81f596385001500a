// Numerically stable softmax, logsoftmax and logsumexp over all entries or along a dim.
export {};
