#!/usr/bin/python3
"""Writes tests/fixtures/numpy_random.json: numbers from NumPy's legacy generator, which
lib/random.ts must reproduce bit for bit.

  /usr/bin/python3 tests/reference/make_random_fixture.py > tests/fixtures/numpy_random.json
"""
import json

import numpy as np


def rs(seed):
    return np.random.RandomState(seed)


cases = {
    # raw 32-bit outputs of MT19937: randint over the whole uint32 range returns them unchanged
    "uint32_seed_1": rs(1).randint(0, 2**32, size=8, dtype=np.uint32).tolist(),
    "uint32_seed_5489": rs(5489).randint(0, 2**32, size=8, dtype=np.uint32).tolist(),
    "rand_seed_1": rs(1).rand(10).tolist(),
    # np.random.seed(1); np.random.randn(40, 50): 2,000 Gaussians, row by row
    "randn_seed_1_40x50": rs(1).randn(40, 50).tolist(),
    "randn_seed_0_3x5": rs(0).randn(3, 5).tolist(),
    "randn_seed_4294967295_1x7": rs(2**32 - 1).randn(1, 7).tolist(),
}
# an odd count leaves a Gaussian kept for the next call: randn(3) then randn(2)
g = rs(3)
cases["randn_seed_3_then"] = [g.randn(3).tolist(), g.randn(2).tolist()]
print(json.dumps({"made_by": "tests/reference/make_random_fixture.py", "numpy": np.__version__,
                  "cases": cases}))
