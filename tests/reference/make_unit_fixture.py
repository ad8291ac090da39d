#!/usr/bin/python3
"""Writes tests/fixtures/numpy_unit.json: small inputs and what the NumPy reference
(tests/reference/dnn_numpy.py, written as the course writes it) computes from them.
The library's unit tests feed the same inputs to the TypeScript functions and compare.

  /usr/bin/python3 tests/reference/make_unit_fixture.py > tests/fixtures/numpy_unit.json
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dnn_numpy as ref  # noqa: E402


def m(a):
    return np.asarray(a, dtype=float).tolist()


rng = np.random.RandomState(7)
Z = rng.randn(3, 4) * 3
dA = rng.randn(3, 4)
A_prev = rng.randn(5, 4)
W = rng.randn(3, 5)
b = rng.randn(3, 1)
X = rng.rand(5, 4)
Y = np.array([[1.0, 0.0, 1.0, 1.0]])
AL = rng.rand(1, 4) * 0.98 + 0.01
layers_dims = [5, 4, 3, 1]

params = ref.initialize_parameters_deep(layers_dims)
AL_model, caches = ref.L_model_forward(X, params)
grads = ref.L_model_backward(AL_model, Y, caches)
updated = ref.update_parameters({k: v.copy() for k, v in params.items()}, grads, 0.1)
two = ref.initialize_parameters(5, 4, 1)
dZ = ref.relu_backward(dA, Z)

# The element-wise vocabulary (lib/matrix.ts: add, subtract, multiply, divide, transpose,
# map), on inputs of their own from a generator of their own, so that the draws above, and
# what is computed from them, stay as they were.
ops = np.random.RandomState(11)
A_op = ops.randn(3, 4)
B_op = ops.randn(3, 4)
s_op = float(ops.randn())


def f_op(v):
    return 1.0 / (1.0 + v * v)


out = {
    "made_by": "tests/reference/make_unit_fixture.py",
    "inputs": {"Z": m(Z), "dA": m(dA), "A_prev": m(A_prev), "W": m(W), "b": m(b), "X": m(X),
               "Y": m(Y), "AL": m(AL), "layers_dims": layers_dims},
    "sigmoid": m(ref.sigmoid(Z)[0]),
    "relu": m(ref.relu(Z)[0]),
    "sigmoid_backward": m(ref.sigmoid_backward(dA, Z)),
    "relu_backward": m(dZ),
    "linear_forward_relu": m(ref.linear_activation_forward(A_prev, W, b, "relu")[0]),
    "linear_forward_sigmoid": m(ref.linear_activation_forward(A_prev, W, b, "sigmoid")[0]),
    "Z_linear": m(np.dot(W, A_prev) + b),
    "linear_backward": dict(zip(["dA_prev", "dW", "db"],
                                map(m, ref.linear_backward(dZ, (A_prev, W, b))))),
    "cost": ref.compute_cost(AL, Y),
    "dAL": m(- (np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))),
    "initialize_parameters_5_4_1": {k: m(v) for k, v in two.items()},
    "initialize_parameters_deep": {k: m(v) for k, v in params.items()},
    "L_model_forward_AL": m(AL_model),
    "L_model_backward": {k: m(v) for k, v in grads.items() if k != "dA0"},
    "update_parameters_0.1": {k: m(v) for k, v in updated.items()},
    "elementwise": {
        "inputs": {"A": m(A_op), "B": m(B_op), "s": s_op},
        "A + B": m(A_op + B_op),
        "A - B": m(A_op - B_op),
        "A * B": m(A_op * B_op),
        "A / B": m(A_op / B_op),
        "A + s": m(A_op + s_op),
        "A - s": m(A_op - s_op),
        "A * s": m(A_op * s_op),
        "A / s": m(A_op / s_op),
        "A.T": m(A_op.T),
        "np.exp(A)": m(np.exp(A_op)),
        "f(A)": m(np.vectorize(f_op)(A_op)),
    },
}
print(json.dumps(out))
