// Neural-network ops over the entries of a vector or along a dim: softmax, logsoftmax, logsumexp.
export {};
