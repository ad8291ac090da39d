#!/usr/bin/python3
"""Writes lib/exercise_cases.json: the test case of each exercise in the notebooks, with what
the NumPy reference (tests/reference/dnn_numpy.py, written as the course writes it) computes
from it. The inputs are the course's own test cases (its `*_test_case()` helpers: the same
seeds, the same np.random.randn calls in the same order), so the expected values are the
outputs the course publishes beside its test cells.

  /usr/bin/python3 tests/reference/make_exercise_cases.py DATA_DIR > lib/exercise_cases.json

DATA_DIR holds the course's .h5 files (the two model exercises are checked on their first
iterations on the course data).
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dnn_numpy as ref  # noqa: E402


def m(a):
    return np.asarray(a, dtype=float).tolist()


def layer_cache(cache):
    (A_prev, W, b), Z = cache
    return {"APrev": m(A_prev), "W": m(W), "b": m(b), "Z": m(Z)}


def subtract_case():
    # Exercise 0a, NumPy's A - B: with a matrix of A's shape, and with a number.
    np.random.seed(1)
    A = np.random.randn(2, 3)
    B = np.random.randn(2, 3)
    return {"inputs": {"A": m(A), "B": m(B), "s": 0.5},
            "expected": {"matrix": m(A - B), "number": m(A - 0.5)}}


def add_column_case():
    # Exercise 0b, NumPy's broadcast A + b: the column b added to every column of A.
    np.random.seed(2)
    A = np.random.randn(3, 4)
    b = np.random.randn(3, 1)
    return {"inputs": {"A": m(A), "b": m(b)}, "expected": {"C": m(A + b)}}


def initialize_parameters_case():
    p = ref.initialize_parameters(3, 2, 1)
    return {"inputs": {"nX": 3, "nH": 2, "nY": 1},
            "expected": {k: m(v) for k, v in p.items()}}


def initialize_parameters_deep_case():
    # The Application notebook's version (seed 1, divided by sqrt of the fan-in), the one
    # the course trains with; the Step by Step notebook prints its seed-3, times-0.01 variant.
    p = ref.initialize_parameters_deep([5, 4, 3])
    return {"inputs": {"layersDims": [5, 4, 3]},
            "expected": {k: m(v) for k, v in p.items()}}


def linear_forward_case():
    np.random.seed(1)
    A = np.random.randn(3, 2)
    W = np.random.randn(1, 3)
    b = np.random.randn(1, 1)
    return {"inputs": {"APrev": m(A), "W": m(W), "b": m(b)},
            "expected": {"Z": m(np.dot(W, A) + b)}}


def linear_activation_forward_case():
    np.random.seed(2)
    A_prev = np.random.randn(3, 2)
    W = np.random.randn(1, 3)
    b = np.random.randn(1, 1)
    return {"inputs": {"APrev": m(A_prev), "W": m(W), "b": m(b)},
            "expected": {act: {"A": m(ref.linear_activation_forward(A_prev, W, b, act)[0])}
                         for act in ("sigmoid", "relu")}}


def l_model_forward_case():
    np.random.seed(6)
    X = np.random.randn(5, 4)
    parameters = {}
    for l, (rows, cols) in enumerate([(4, 5), (3, 4), (1, 3)], start=1):
        parameters["W%d" % l] = np.random.randn(rows, cols)
        parameters["b%d" % l] = np.random.randn(rows, 1)
    AL, caches = ref.L_model_forward(X, parameters)
    return {"inputs": {"X": m(X), "parameters": {k: m(v) for k, v in parameters.items()}},
            "expected": {"AL": m(AL), "caches": [layer_cache(c) for c in caches]}}


def compute_cost_case():
    AL = np.array([[.8, .9, 0.4]])
    cases = []
    for Y in (np.asarray([[1, 1, 0]]), np.asarray([[1, 1, 1]])):  # today's edition, the older
        cases.append({"inputs": {"AL": m(AL), "Y": m(Y)},
                      "expected": {"cost": ref.compute_cost(AL, Y)}})
    return cases


def linear_backward_case():
    np.random.seed(1)
    dZ = np.random.randn(3, 4)
    A = np.random.randn(5, 4)
    W = np.random.randn(3, 5)
    b = np.random.randn(3, 1)
    dA_prev, dW, db = ref.linear_backward(dZ, (A, W, b))
    return {"inputs": {"dZ": m(dZ), "APrev": m(A), "W": m(W), "b": m(b)},
            "expected": {"dAPrev": m(dA_prev), "dW": m(dW), "db": m(db)}}


def linear_activation_backward_case():
    np.random.seed(2)
    dA = np.random.randn(1, 2)
    A = np.random.randn(3, 2)
    W = np.random.randn(1, 3)
    b = np.random.randn(1, 1)
    Z = np.random.randn(1, 2)
    expected = {}
    for act in ("sigmoid", "relu"):
        dA_prev, dW, db = ref.linear_activation_backward(dA, ((A, W, b), Z), act)
        expected[act] = {"dAPrev": m(dA_prev), "dW": m(dW), "db": m(db)}
    return {"inputs": {"dA": m(dA), "APrev": m(A), "W": m(W), "b": m(b), "Z": m(Z)},
            "expected": expected}


def l_model_backward_case():
    np.random.seed(3)
    AL = np.random.randn(1, 2)
    Y = np.array([[1, 0]])
    caches = []
    for n_prev, n in [(4, 3), (3, 1)]:
        A = np.random.randn(n_prev, 2)
        W = np.random.randn(n, n_prev)
        b = np.random.randn(n, 1)
        Z = np.random.randn(n, 2)
        caches.append(((A, W, b), Z))
    grads = ref.L_model_backward(AL, Y, caches)
    del grads["dA0"]  # the gradient with respect to X: the library does not compute it
    return {"inputs": {"AL": m(AL), "Y": m(Y), "caches": [layer_cache(c) for c in caches]},
            "expected": {k: m(v) for k, v in sorted(grads.items())}}


def update_parameters_case():
    np.random.seed(2)
    parameters = {"W1": np.random.randn(3, 4), "b1": np.random.randn(3, 1),
                  "W2": np.random.randn(1, 3), "b2": np.random.randn(1, 1)}
    np.random.seed(3)
    grads = {"dW1": np.random.randn(3, 4), "db1": np.random.randn(3, 1),
             "dW2": np.random.randn(1, 3), "db2": np.random.randn(1, 1)}
    inputs = {"parameters": {k: m(v) for k, v in parameters.items()},
              "grads": {k: m(v) for k, v in grads.items()}, "learningRate": 0.1}
    updated = ref.update_parameters(dict(parameters), grads, 0.1)
    return {"inputs": inputs, "expected": {k: m(v) for k, v in updated.items()}}


def model_case(data_dir, model, layers_dims, iterations):
    train_x, train_y, _, _ = ref.load_data(data_dir)
    if model == "two":
        parameters = ref.initialize_parameters(*layers_dims)
        step = ref.two_layer_step
    else:
        parameters = ref.initialize_parameters_deep(layers_dims)
        step = ref.deep_step
    costs = []
    for _ in range(iterations):
        cost, grads = step(train_x, train_y, parameters)
        costs.append(cost)
        parameters = ref.update_parameters(parameters, grads, 0.0075)
    return {"inputs": {"data": "course training set", "layersDims": layers_dims,
                       "learningRate": 0.0075, "numIterations": iterations},
            "expected": {"costs": costs}}


def main():
    data_dir = sys.argv[1]
    cases = {
        "subtract": subtract_case(),
        "addColumn": add_column_case(),
        "initializeParameters": initialize_parameters_case(),
        "initializeParametersDeep": initialize_parameters_deep_case(),
        "linearForward": linear_forward_case(),
        "linearActivationForward": linear_activation_forward_case(),
        "lModelForward": l_model_forward_case(),
        "computeCost": compute_cost_case(),
        "linearBackward": linear_backward_case(),
        "linearActivationBackward": linear_activation_backward_case(),
        "lModelBackward": l_model_backward_case(),
        "updateParameters": update_parameters_case(),
        "twoLayerModel": model_case(data_dir, "two", [12288, 7, 1], 3),
        "lLayerModel": model_case(data_dir, "deep", [12288, 20, 7, 5, 1], 3),
    }
    json.dump({"made_by": "tests/reference/make_exercise_cases.py", "numpy": np.__version__,
               "cases": cases}, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
