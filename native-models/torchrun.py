"""torchrun for Debian's python3-torch 1.13 on Python 3.11.

torch 1.13's launcher parses its --redirects/--tee values ("0" by default) by iterating the `Std`
IntFlag, and Python 3.11 no longer yields the zero member when iterating a flag, so every
`torchrun` / `python -m torch.distributed.run` dies with "'NoneType' object has no attribute 'get'"
before starting a worker (DeepSpeedExamples#359 reports the same). This wrapper repairs that one
parse when it is broken and then runs torch's own launcher unchanged, with the same flags:

    /usr/bin/python3 native-models/torchrun.py --nproc_per_node=2 native-models/train.py ...

With a newer torch, the plain `torchrun` command does the same.
"""
import re
import sys

from torch.distributed.elastic.multiprocessing import api as _mp_api
from torch.distributed.elastic.multiprocessing.api import Std


def _from_str(vm: str):
    if re.fullmatch(r"[0-3]", vm):
        return Std(int(vm))
    if re.fullmatch(r"(\d:[0-3],)*\d:[0-3]", vm):
        return {int(i): Std(int(v)) for i, v in (m.split(":") for m in vm.split(","))}
    raise ValueError(f"{vm} does not match '<0-3>' or '<local_rank>:<0-3>,...'")


if Std.from_str("0") is None:  # the Python 3.11 breakage; leave working versions alone
    _mp_api.Std.from_str = staticmethod(_from_str)

if __name__ == "__main__":
    from torch.distributed.run import main

    sys.exit(main())
