#!/usr/bin/env python3
"""Demo stand-in for the OCR project's evaluation runner.

Takes the same Hydra overrides as the real `runners/test.py`. checkpoint_path is
required and must name an existing file (relative to the current directory). The
model components given on the command line must match the ones recorded in a
demo checkpoint, as a real state_dict load would demand (CB_DEMO_STRICT=0 skips
that check). Prints a progress bar and a Lightning-style metrics table.

  python3 runners/test.py checkpoint_path=outputs/3/checkpoints/best-hmean-0.8710.ckpt \
      model/architectures=craft model.encoder.model_name=resnet50 \
      model.component_overrides.decoder.name=craft_decoder \
      model.component_overrides.head.name=craft_head model.component_overrides.loss.name=craft_loss

Exit codes: 0 done, 1 bad override / config / missing or mismatched checkpoint,
2 bad option, 130 after Ctrl+C, 143 after SIGTERM.
Environment: CB_DEMO_FAST=1, CB_DEMO_SECONDS=<s>, CB_DEMO_STRICT=0, NO_COLOR=1.
"""

import hashlib
import math
import os
import random
import signal
import sys

sys.dont_write_bytecode = True  # keep the project folder free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import _demo_lightning as dl  # noqa: E402
import _hydra_lite as hl  # noqa: E402

console = hl.console


def base_hmean(path: str, info: dict) -> float:
    """The checkpoint's validation hmean, or a stable made-up one for a foreign file."""
    for key in ("val/hmean", "best_hmean"):
        try:
            return float(info[key])
        except (KeyError, ValueError):
            pass
    digest = hashlib.sha1(os.path.abspath(path).encode()).digest()
    return 0.80 + digest[0] / 255 * 0.1


def test(ctx) -> int:
    cfg = ctx.cfg
    try:
        path = dl.require_checkpoint(ctx)
        info = dl.read_checkpoint(path)
        spec = dl.model_spec(cfg)
        diffs = dl.mismatches(info, spec)
        if diffs and dl.strict_checks():
            raise dl.state_dict_error(diffs)
        if diffs:
            console.log("CB_DEMO_STRICT=0: ignoring " + "; ".join(diffs), "WARNING")
        if not info:
            console.log(f"{path} is not a demo checkpoint; the metrics are made up from its name.", "WARNING")
        dl.lightning_banner()
        console.log(f"Restoring states from the checkpoint path at {path}")
        console.log(f"Loaded model weights from the checkpoint at {path}")

        batch = hl.select(cfg, "dataloaders.test_dataloader.batch_size", 4)
        if isinstance(batch, bool) or not isinstance(batch, int) or batch <= 0:
            raise hl.TaskError("ValueError", f"batch_size should be a positive integer value, but got batch_size={batch!r}")
        steps = math.ceil(dl.VAL_IMAGES / batch)
        rate = 60.0 / batch
        marks, pause = dl.bar_timing(steps, dl.run_seconds(1.5))
        for n in marks:
            ctx.sleep(pause)
            console.bar(hl.format_bar("Testing DataLoader 0", n, steps, n / rate, rate, colour="35"))
        console.end_bar()

        seed = cfg.get("seed", 42)
        rng = random.Random(hash((seed, os.path.basename(path))) & 0xFFFFFFFF)
        hmean = max(0.0, min(0.99, base_hmean(path, info) - 0.004 + rng.gauss(0, 0.002)))
        precision = min(0.995, hmean + 0.013 + rng.gauss(0, 0.002))
        recall = hmean * precision / max(1e-6, 2 * precision - hmean)
        rows = [("test/hmean", hmean), ("test/precision", precision), ("test/recall", recall)]
        width = 80
        rule = "─" * width
        console.out(rule)
        console.out(f"{'Test metric':^40}{'DataLoader 0':^40}")
        console.out(rule)
        for name, value in rows:
            console.out(f"{hl.style(name, '36'):^49}{value:^40.6f}" if hl.style.on else f"{name:^40}{value:^40.6f}")
        console.out(rule)
        return 0
    except hl.Interrupted as exc:
        ctx.signals.ignore_more()
        console.end_bar()
        if exc.signum == signal.SIGINT:
            console.log("Detected KeyboardInterrupt, attempting graceful shutdown...")
            return 130
        console.log(f"[rank: 0] Received SIGTERM: {int(exc.signum)}")
        return 143


if __name__ == "__main__":
    hl.run("test", test, __file__)
