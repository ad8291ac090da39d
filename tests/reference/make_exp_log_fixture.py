#!/usr/bin/python3
"""Writes tests/fixtures/exp_log.json: arguments and their correctly rounded exp and log,
computed by Python's decimal module at 60 significant digits (then rounded once to a
double, which float() does correctly), for lib/math_test.ts.

  /usr/bin/python3 tests/reference/make_exp_log_fixture.py > tests/fixtures/exp_log.json
"""
import json
import math
import random
from decimal import Decimal, getcontext

getcontext().prec = 60
rng = random.Random(27)


def exp(x):
    try:
        return float(Decimal(x).exp())
    except OverflowError:
        return None  # above the largest double: JSON has no Infinity


def log(x):
    return float(Decimal(x).ln())


def exp_args():
    yield from (rng.uniform(-40, 40) for _ in range(3000))  # where a sigmoid's arguments are
    yield from (rng.uniform(-1e-3, 1e-3) for _ in range(300))  # near 0, e^x near 1
    yield from (rng.uniform(-745, 709.78) for _ in range(600))  # the whole finite range
    yield from (rng.uniform(-745.13, -708.4) for _ in range(100))  # results below 2^-1022
    yield from (709.78, 709.782712893384, -745.1, -745.2)  # the largest, the least, and 0


def log_args():
    yield from (rng.random() for _ in range(2000))  # where a cost's predictions are
    yield from (1 + rng.uniform(-1e-3, 1e-3) for _ in range(500))  # near 1, log x near 0
    yield from (math.ldexp(rng.uniform(0.5, 1), rng.randint(-1074, 1024)) for _ in range(1000))
    yield from (rng.uniform(0, 2.2250738585072014e-308) for _ in range(100))  # below 2^-1022
    yield from (math.ldexp(1, k) for k in range(-1074, 1024))  # every power of 2
    yield from (5e-324, 1.7976931348623157e308)  # the least double and the largest


xs = list(exp_args())
ls = [x for x in log_args() if x > 0]
print(json.dumps({
    "made_by": "tests/reference/make_exp_log_fixture.py",
    "exp": {"x": xs, "expected": [exp(x) for x in xs]},
    "log": {"x": ls, "expected": [log(x) for x in ls]},
}))
