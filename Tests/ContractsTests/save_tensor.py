# Writes a tensor with Debian's torch (torch.save's zip format), so that the tensor matcher is checked
# against a file that libtorch's own pickle_save did not write: save_tensor.py PATH DTYPE DIM...
import sys

import torch

path, dtype, dims = sys.argv[1], sys.argv[2], [int(d) for d in sys.argv[3:]]
torch.save(torch.zeros(*dims, dtype=getattr(torch, dtype)), path)
