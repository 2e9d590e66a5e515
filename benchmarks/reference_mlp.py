"""The training loop as it was before it was optimised (helpers/network.py at the foundation
commit), kept only so that `benchmarks/run.py` can time it side by side with the current one
and check that both give bit-identical weights."""

from __future__ import annotations


def _forward_cache(net, X):
    a = X
    zs, acts = [], [a]
    for W, b, g in zip(net.weights, net.biases, net.activations):
        z = a @ W.T + b
        a = g.value_fn(z)
        zs.append(z)
        acts.append(a)
    return zs, acts


def _backward(net, X, y):
    zs, acts = _forward_cache(net, X)
    loss, grad_out = net._loss_and_delta(acts[-1], y)
    delta = grad_out * net.activations[-1].derivative_fn(zs[-1])
    dWs, dbs = [None] * len(net.weights), [None] * len(net.weights)
    for i in range(len(net.weights) - 1, -1, -1):
        dWs[i] = delta.T @ acts[i]
        dbs[i] = delta.sum(axis=0)
        if i > 0:
            delta = (delta @ net.weights[i]) * net.activations[i - 1].derivative_fn(zs[i - 1])
    return loss, dWs, dbs


def reference_train(net, X, y, steps: int, lr: float) -> list[float]:
    """Full-batch gradient descent exactly as MLP.train did it (losses only)."""
    X = net._inputs(X)
    y = net._targets(y, X.shape[0])
    losses = []
    for _ in range(steps):
        loss, dWs, dbs = _backward(net, X, y)
        losses.append(loss)
        for W, b, dW, db in zip(net.weights, net.biases, dWs, dbs):
            W -= lr * dW
            b -= lr * db
    return losses
