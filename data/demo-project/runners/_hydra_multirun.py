"""--multirun for the demo runners: Hydra's basic sweeper and basic launcher, in small.

What it does, as Hydra 1.3 does it:

* every override that sweeps (`key=a,b,c`, `key=choice(a,b)`, `key=range(1,4)`) is an axis;
  the jobs are every combination, in the order of itertools.product over the overrides as
  given (the last sweep changes fastest), numbered from 0;
* the sweep folder is hydra.sweep.dir resolved once, from the config without the sweeps
  (Hydra's default multirun/<date>/<time>; the demo's configs/hydra/default.yaml sets its own),
  and each job runs in hydra.sweep.subdir (default: the job's number) below it;
* it logs `[HYDRA] Launching N jobs locally` and `[HYDRA] \t#i : overrides` for each job,
  then runs the jobs one after another in this process; every job runs even when one fails,
  and the exit code is the first failure's (Ctrl+C or SIGTERM stop the sweep at once).

Not done: glob(), interval(), sort(), shuffle() and tag(), sweeps inside lists or dicts, and
Hydra's max_batch_size.
"""

from __future__ import annotations

import itertools
import math
import re
import time

import _hydra_lite as hl

_BARE = re.compile(r"[A-Za-z_][A-Za-z0-9_\-./]*\Z")
_KEYWORDS = {"true", "false", "null", "nan", "inf"}


def element_text(value) -> str:
    """One sweep element written back as an override value that reads back as VALUE."""
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        if _BARE.match(value) and value.lower() not in _KEYWORDS:
            return value
        # Hydra's "...": a quote is \", a run of backslashes before a quote or the end doubled.
        out = []
        run = 0
        for c in value:
            if c == "\\":
                run += 1
                continue
            out.append("\\" * (run * 2 if c == '"' else run))
            run = 0
            out.append('\\"' if c == '"' else c)
        out.append("\\" * (run * 2))
        return '"' + "".join(out) + '"'
    raise hl.HydraError(f"The demo runners sweep over plain values only, not {value!r}")


def _range_items(args):
    if not 1 <= len(args) <= 3 or not all(isinstance(a, (int, float)) and not isinstance(a, bool)
                                          for a in args):
        raise hl.HydraError("range() takes 1 to 3 numbers: range(start, stop, step)")
    start, stop, step = (0, args[0], 1) if len(args) == 1 else (args[0], args[1], args[2] if len(args) == 3 else 1)
    if step == 0:
        raise hl.HydraError("range() step must not be zero")
    if all(isinstance(a, int) for a in (start, stop, step)):
        return list(range(start, stop, step))
    items = []
    i = 0
    while True:
        value = start + i * step
        if (step > 0 and value >= stop) or (step < 0 and value <= stop):
            return items
        items.append(value)
        i += 1


def sweep_items(ov: hl.Override) -> list:
    sweep = ov.value
    if sweep.form in ("simple", "choice"):
        return list(sweep.items)
    if sweep.form == "range":
        return _range_items(sweep.items)
    raise hl.HydraError(f"The demo runners do not support {sweep.form}() sweeps: '{ov.raw}'")


def _with_value(ov: hl.Override, value) -> str:
    prefix = {"ADD": "+", "FORCE_ADD": "++", "DEL": "~"}.get(ov.kind, "")
    package = f"@{ov.package}" if ov.package else ""
    return f"{prefix}{ov.key}{package}={element_text(value)}"


def job_overrides(raw_overrides: list[str]) -> list[list[str]]:
    """The overrides of each job, in Hydra's basic sweeper order."""
    lists = []
    for raw in raw_overrides:
        ov = hl.parse_override(raw)
        if ov.is_sweep:
            lists.append([_with_value(ov, v) for v in sweep_items(ov)])
        else:
            lists.append([raw])
    return [list(combo) for combo in itertools.product(*lists)]


def _log(message: str) -> None:
    stamp = time.strftime("%Y-%m-%d %H:%M:%S") + f",{int(time.time() * 1000) % 1000:03d}"
    hl.console.out(f"[{stamp}][HYDRA] {message}")


def run(task_name, task, config_dir, config_name, raw_overrides, signals, cfg_mode, resolve_cfg) -> int:
    try:
        jobs = job_overrides(raw_overrides)
        # The sweep folder: from the config without the sweeps, resolved once.
        plain = [hl.parse_override(a) for a in raw_overrides]
        plain = [o for o in plain if not o.is_sweep]
        _, cfg, hydra_node = hl.compose_job(config_dir, config_name, plain)
        hydra_node.setdefault("job", {})["name"] = task_name
        sweep_dir = str(hl._Resolver({**cfg, "hydra": hydra_node}).resolve(
            hl.select(hydra_node, "sweep.dir"), []))
    except hl.HydraError as exc:
        return hl._hydra_error(str(exc))
    except hl.TaskError as exc:
        return hl._hydra_error(f"Error resolving the config\n{exc.kind}: {exc.message}")

    if cfg_mode is not None:
        # Hydra prints the first job's config.
        return hl.run_job(task_name, task, config_dir, config_name, jobs[0], signals, cfg_mode, resolve_cfg)

    _log(f"Launching {len(jobs)} jobs locally")
    first_failure = 0
    for num, overrides in enumerate(jobs):
        shown = " ".join(o for o in overrides if not hl._is_hydra_key(hl.parse_override(o).key))
        _log(f"\t#{num} : {shown}")
        code = hl.run_job(task_name, task, config_dir, config_name, overrides, signals,
                          job={"num": num, "sweep_dir": sweep_dir})
        if code in (130, 143) or signals.received is not None:
            return code or 130
        if code and not first_failure:
            first_failure = code
    return first_failure
