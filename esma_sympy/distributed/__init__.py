"""Scale-out of the ESMA search: run work units in process, on local processes or on a Dask
cluster, with the same conjectures in the same order for any number of workers (theory T7.1).

Dask (``pip install esma_sympy[dask]``) is imported only when a :class:`DaskExecutor` is made.
"""

from __future__ import annotations

from .executor import (DaskExecutor, InProcessExecutor, check_scheduler, check_workers,
                       local_cluster, make_executor, run_search_distributed)
from .spec import PlanSpec, plan_fingerprint, plan_from_spec, plan_spec, run_unit_task

__all__ = ["run_search_distributed", "make_executor", "InProcessExecutor", "DaskExecutor",
           "local_cluster", "check_workers", "check_scheduler", "PlanSpec", "plan_spec", "plan_from_spec",
           "plan_fingerprint", "run_unit_task"]
