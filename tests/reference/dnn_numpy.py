#!/usr/bin/python3
"""The NumPy reference: the course's cat / non-cat models, written as the course writes them.

Our TypeScript library must reproduce this script's costs and accuracies. It is independent of
the library: it reads the .h5 files with h5py and does every step with NumPy.

  /usr/bin/python3 tests/reference/dnn_numpy.py --data DIR [--model deep|two]
      [--layers-dims 12288,20,7,5,1] [--iterations 2500] [--learning-rate 0.0075]
      prints the costs every 100 iterations and the last, then the accuracies, and as its last
      line a JSON object like the one of `deno task train --json`.
  python3 tests/reference/dnn_numpy.py --npy DIR [--model ...] [--iterations 2500]
      the same, reading train_x.npy, train_y.npy, test_x.npy and test_y.npy (the preprocessed
      arrays, written by `deno task bench`): NumPy alone, no h5py.
  python3 tests/reference/dnn_numpy.py --bench 50 [--model ...] [--layers-dims ...]
      times iterations on random data of the course's shapes and prints one JSON line with
      the milliseconds per iteration, NumPy's version and its BLAS (used by `deno task bench`).
  python3 tests/reference/dnn_numpy.py --products 50
      times the deep model's two big products, W1 @ X and dZ1 @ X.T, in float64 and float32
      on random data of the course's shapes, and prints one JSON line with the median
      milliseconds of each (used by `deno task bench`).
  python3 tests/reference/dnn_numpy.py --blas
      prints one JSON line: NumPy's version and the BLAS library, kernel and threads it runs.
  /usr/bin/python3 tests/reference/dnn_numpy.py --fixture DIR > tests/fixtures/numpy_course.json
      writes the committed fixture: both models, 2500 iterations, on the course files in DIR.
"""
import argparse
import json
import os
import sys
import time

import numpy as np


def load_data(data_dir):
    import h5py
    with h5py.File(os.path.join(data_dir, "train_catvnoncat.h5"), "r") as f:
        train_x_orig = np.array(f["train_set_x"][:])
        train_y = np.array(f["train_set_y"][:]).reshape(1, -1)
    with h5py.File(os.path.join(data_dir, "test_catvnoncat.h5"), "r") as f:
        test_x_orig = np.array(f["test_set_x"][:])
        test_y = np.array(f["test_set_y"][:]).reshape(1, -1)
    train_x = train_x_orig.reshape(train_x_orig.shape[0], -1).T / 255.
    test_x = test_x_orig.reshape(test_x_orig.shape[0], -1).T / 255.
    return train_x, train_y, test_x, test_y


def load_npy(npy_dir):
    arrays = [np.load(os.path.join(npy_dir, f"{name}.npy")) for name in ("train_x", "train_y", "test_x", "test_y")]
    return tuple(arrays)


def blas():
    """NumPy's version and the BLAS it runs: library, version, kernel (core type) and threads."""
    info = {"numpy": np.__version__}
    try:
        import threadpoolctl
        pools = [p for p in threadpoolctl.threadpool_info() if p.get("user_api") == "blas"]
        if pools:
            p = pools[0]
            info["blas"] = f"{p.get('internal_api')} {p.get('version')}, {p.get('architecture')} kernels, {p.get('num_threads')} threads"
            return info
    except ImportError:
        pass
    # Without threadpoolctl: ask the OpenBLAS that NumPy loaded for its core type.
    import ctypes
    import glob
    here = os.path.dirname(np.__file__)
    candidates = glob.glob(os.path.join(here, os.pardir, "numpy.libs", "*openblas*"))
    candidates += ["libopenblas.so.0", "libblas.so.3"]
    for path in candidates:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for prefix in ("scipy_openblas_", "openblas_"):
            for suffix in ("64_", ""):
                try:
                    core = getattr(lib, f"{prefix}get_corename{suffix}")
                    config = getattr(lib, f"{prefix}get_config{suffix}")
                    threads = getattr(lib, f"{prefix}get_num_threads{suffix}")
                except AttributeError:
                    continue
                core.restype = config.restype = ctypes.c_char_p
                version = config().decode().split()[1]
                info["blas"] = f"OpenBLAS {version}, {core().decode()} kernels, {threads()} threads"
                return info
    info["blas"] = "unknown (no OpenBLAS found: likely the reference BLAS, slow)"
    return info


def sigmoid(Z):
    return 1 / (1 + np.exp(-Z)), Z


def relu(Z):
    return np.maximum(0, Z), Z


def sigmoid_backward(dA, Z):
    s = 1 / (1 + np.exp(-Z))
    return dA * s * (1 - s)


def relu_backward(dA, Z):
    dZ = np.array(dA, copy=True)
    dZ[Z <= 0] = 0
    return dZ


def initialize_parameters(n_x, n_h, n_y):
    np.random.seed(1)
    W1 = np.random.randn(n_h, n_x) * 0.01
    W2 = np.random.randn(n_y, n_h) * 0.01
    return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}


def initialize_parameters_deep(layer_dims):
    np.random.seed(1)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) / np.sqrt(layer_dims[l - 1])
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters


def linear_activation_forward(A_prev, W, b, activation):
    Z = np.dot(W, A_prev) + b
    A, activation_cache = sigmoid(Z) if activation == "sigmoid" else relu(Z)
    return A, ((A_prev, W, b), activation_cache)


def L_model_forward(X, parameters):
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L):
        A, cache = linear_activation_forward(A, parameters["W" + str(l)], parameters["b" + str(l)], "relu")
        caches.append(cache)
    AL, cache = linear_activation_forward(A, parameters["W" + str(L)], parameters["b" + str(L)], "sigmoid")
    caches.append(cache)
    return AL, caches


def compute_cost(AL, Y):
    m = Y.shape[1]
    cost = (1. / m) * (-np.dot(Y, np.log(AL).T) - np.dot(1 - Y, np.log(1 - AL).T))
    return float(np.squeeze(cost))


def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = 1. / m * np.dot(dZ, A_prev.T)
    db = 1. / m * np.sum(dZ, axis=1, keepdims=True)
    dA_prev = np.dot(W.T, dZ)
    return dA_prev, dW, db


def linear_activation_backward(dA, cache, activation):
    linear_cache, activation_cache = cache
    if activation == "relu":
        dZ = relu_backward(dA, activation_cache)
    else:
        dZ = sigmoid_backward(dA, activation_cache)
    return linear_backward(dZ, linear_cache)


def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    dAL = - (np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    grads["dA" + str(L - 1)], grads["dW" + str(L)], grads["db" + str(L)] = \
        linear_activation_backward(dAL, caches[L - 1], "sigmoid")
    for l in reversed(range(L - 1)):
        dA_prev, dW, db = linear_activation_backward(grads["dA" + str(l + 1)], caches[l], "relu")
        grads["dA" + str(l)] = dA_prev
        grads["dW" + str(l + 1)] = dW
        grads["db" + str(l + 1)] = db
    return grads


def update_parameters(parameters, grads, learning_rate):
    L = len(parameters) // 2
    for l in range(L):
        parameters["W" + str(l + 1)] = parameters["W" + str(l + 1)] - learning_rate * grads["dW" + str(l + 1)]
        parameters["b" + str(l + 1)] = parameters["b" + str(l + 1)] - learning_rate * grads["db" + str(l + 1)]
    return parameters


def two_layer_step(X, Y, parameters):
    A1, cache1 = linear_activation_forward(X, parameters["W1"], parameters["b1"], "relu")
    A2, cache2 = linear_activation_forward(A1, parameters["W2"], parameters["b2"], "sigmoid")
    cost = compute_cost(A2, Y)
    dA2 = - (np.divide(Y, A2) - np.divide(1 - Y, 1 - A2))
    dA1, dW2, db2 = linear_activation_backward(dA2, cache2, "sigmoid")
    dA0, dW1, db1 = linear_activation_backward(dA1, cache1, "relu")
    return cost, {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}


def deep_step(X, Y, parameters):
    AL, caches = L_model_forward(X, parameters)
    return compute_cost(AL, Y), L_model_backward(AL, Y, caches)


def train(X, Y, model, layers_dims, learning_rate, num_iterations, on_cost=None):
    if model == "two":
        parameters = initialize_parameters(*layers_dims)
        step = two_layer_step
    else:
        parameters = initialize_parameters_deep(layers_dims)
        step = deep_step
    costs = []
    for i in range(num_iterations):
        cost, grads = step(X, Y, parameters)
        if i % 100 == 0 or i == num_iterations - 1:
            costs.append([i, cost])
            if on_cost:
                on_cost(i, cost)
        parameters = update_parameters(parameters, grads, learning_rate)
    return parameters, costs


def accuracy(X, Y, parameters):
    AL, _ = L_model_forward(X, parameters)
    p = (AL > 0.5).astype(float)
    return float(np.sum(p == Y) / Y.shape[1])


def run(data_dir, model, layers_dims, learning_rate, iterations, on_cost=None, npy=False):
    train_x, train_y, test_x, test_y = load_npy(data_dir) if npy else load_data(data_dir)
    parameters, costs = train(train_x, train_y, model, layers_dims, learning_rate, iterations, on_cost)
    return {
        "model": model,
        "layersDims": layers_dims,
        "learningRate": learning_rate,
        "iterations": iterations,
        "costs": costs,
        "trainAccuracy": accuracy(train_x, train_y, parameters),
        "testAccuracy": accuracy(test_x, test_y, parameters),
    }


def bench(model, layers_dims, iterations):
    rng = np.random.default_rng(0)
    X = rng.random((layers_dims[0], 209))
    Y = (rng.random((1, 209)) < 0.35).astype(float)
    train(X, Y, model, layers_dims, 0.0075, 5)  # warm up
    start = time.perf_counter()
    train(X, Y, model, layers_dims, 0.0075, iterations)
    seconds = time.perf_counter() - start
    return {"model": model, "layersDims": layers_dims, "msPerIteration": 1000 * seconds / iterations,
            **blas()}


def products(repeats):
    rng = np.random.default_rng(0)
    timings = {}
    for dtype in ("float64", "float32"):
        X = rng.random((12288, 209)).astype(dtype)
        W1 = rng.random((20, 12288)).astype(dtype)
        dZ1 = rng.random((20, 209)).astype(dtype)
        for name, product in (("W1 @ X", lambda: np.dot(W1, X)), ("dZ1 @ X.T", lambda: np.dot(dZ1, X.T))):
            product()  # warm up
            ms = []
            for _ in range(repeats):
                start = time.perf_counter()
                product()
                ms.append(1000 * (time.perf_counter() - start))
            timings[f"{name} {dtype}"] = float(np.median(ms))
    return {"ms": timings, **blas()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data")
    parser.add_argument("--npy", metavar="DIR")
    parser.add_argument("--blas", action="store_true")
    parser.add_argument("--model", choices=["deep", "two"], default="deep")
    parser.add_argument("--layers-dims")
    parser.add_argument("--iterations", type=int, default=2500)
    parser.add_argument("--learning-rate", type=float, default=0.0075)
    parser.add_argument("--bench", type=int, metavar="ITERATIONS")
    parser.add_argument("--products", type=int, metavar="REPEATS")
    parser.add_argument("--fixture", metavar="DIR")
    args = parser.parse_args()
    default_dims = {"deep": [12288, 20, 7, 5, 1], "two": [12288, 7, 1]}
    dims = [int(n) for n in args.layers_dims.split(",")] if args.layers_dims else default_dims[args.model]
    if args.blas:
        print(json.dumps(blas()))
    elif args.bench:
        print(json.dumps(bench(args.model, dims, args.bench)))
    elif args.products:
        print(json.dumps(products(args.products)))
    elif args.fixture:
        runs = [run(args.fixture, model, default_dims[model], 0.0075, 2500) for model in ("deep", "two")]
        print(json.dumps({"made_by": "tests/reference/dnn_numpy.py --fixture", "numpy": np.__version__,
                          "runs": runs}, indent=1))
    else:
        if not args.data and not args.npy:
            sys.exit("dnn_numpy.py: --data DIR or --npy DIR is required")
        result = run(args.npy or args.data, args.model, dims, args.learning_rate, args.iterations,
                     lambda i, c: print(f"Cost after iteration {i}: {c!r}", flush=True), npy=bool(args.npy))
        print(f"Train accuracy: {result['trainAccuracy']}")
        print(f"Test accuracy: {result['testAccuracy']}")
        print(json.dumps(result))


if __name__ == "__main__":
    main()
