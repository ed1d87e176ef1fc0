# Loads a .pt file written by the workers with Debian's torch and prints its shape and sum as JSON:
# the third-party check that torch::pickle_save's files are what Python's torch.load expects.
import json
import sys

import torch

tensor = torch.load(sys.argv[1])
print(json.dumps({"type": type(tensor).__name__, "shape": list(tensor.shape), "sum": float(tensor.sum())}))
