"""Lightning-flavoured pieces shared by the demo runners: run length, the model
description, tiny checkpoint files and the simulated metrics.

Nothing here trains anything. The numbers are made up, deterministic for a given
seed, and shaped like a real detector's learning curve.
"""

from __future__ import annotations

import json
import math
import os
import random
import re
import time

import _hydra_lite as hl

CKPT_MAGIC = "CBDEMO-CKPT 1"

# The receipt data set the demo pretends to use.
TRAIN_IMAGES = 3272
VAL_IMAGES = 404
TEST_IMAGES = 413

_ENCODER_QUALITY = {
    "resnet18": 0.884, "resnet34": 0.896, "resnet50": 0.904, "resnet101": 0.907,
    "mobilenetv3_small_050": 0.851, "efficientnet_b0": 0.877, "vgg16_bn": 0.881, "vgg19_bn": 0.885,
}
_ENCODER_PARAMS = {
    "resnet18": 11.7, "resnet34": 21.8, "resnet50": 25.6, "resnet101": 44.5,
    "mobilenetv3_small_050": 1.6, "efficientnet_b0": 5.3, "vgg16_bn": 14.7, "vgg19_bn": 20.0,
}
_ARCH_BONUS = {"dbnet": 0.0, "dbnetpp": 0.008, "craft": -0.006}
_BEST_LR = {"adam": 1e-3, "adamw": 3e-4}

ALLOWED_PRECISION = ("transformer-engine", "transformer-engine-float16", "16-true", "16-mixed", "bf16-true",
                     "bf16-mixed", "32-true", "64-true", "64", "32", "16", "bf16")


def run_seconds(normal: float) -> float:
    """How long a phase should take: CB_DEMO_SECONDS scales it, CB_DEMO_FAST=1 makes it tiny."""
    fast = os.environ.get("CB_DEMO_FAST", "") not in ("", "0", "false", "False")
    seconds = os.environ.get("CB_DEMO_SECONDS")
    if seconds:
        try:
            return max(0.0, float(seconds)) * normal / 4.0
        except ValueError:
            pass
    return normal * 0.005 if fast else normal


def strict_checks() -> bool:
    return os.environ.get("CB_DEMO_STRICT", "1") not in ("0", "false", "False", "no")


def model_spec(cfg: dict) -> dict:
    """architecture/encoder/decoder/head/loss as the runner's config builds them."""
    sel = hl.select
    return {
        "architecture": sel(cfg, "model.architecture_name") or sel(cfg, "model.architectures"),
        "encoder": sel(cfg, "model.encoder.model_name"),
        "decoder": sel(cfg, "model.component_overrides.decoder.name"),
        "head": sel(cfg, "model.component_overrides.head.name"),
        "loss": sel(cfg, "model.component_overrides.loss.name"),
    }


def format_spec(spec: dict) -> str:
    return ", ".join(f"{k}={spec.get(k)}" for k in ("architecture", "encoder", "decoder", "head", "loss"))


# --------------------------------------------------------------------------------------
# Checkpoints: a few lines of text, written atomically
# --------------------------------------------------------------------------------------


def write_checkpoint(path: str, info: dict) -> None:
    lines = [CKPT_MAGIC] + [f"{k}={v}" for k, v in info.items()]
    hl.atomic_write(path, "\n".join(lines) + "\n")


def read_checkpoint(path: str) -> dict:
    """Return the fields of a demo checkpoint, or {} for any other file."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError:
        return {}
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return {}
    lines = text.splitlines()
    if not lines or lines[0].strip() != CKPT_MAGIC:
        return {}
    info = {}
    for line in lines[1:]:
        key, sep, value = line.partition("=")
        if sep:
            info[key.strip()] = value.strip()
    return info


def write_sidecars(ckpt_path: str, info: dict, cfg: dict) -> None:
    stem = ckpt_path[:-len(".ckpt")] if ckpt_path.endswith(".ckpt") else ckpt_path
    meta = dict(info)
    meta["created_at"] = time.strftime("%Y-%m-%dT%H:%M:%S")
    hl.atomic_write(stem + ".metadata.json", json.dumps(meta, indent=2) + "\n")
    subset = {
        "exp_name": cfg.get("exp_name"),
        "model": {k: hl.select(cfg, f"model.{k}") for k in ("architecture_name", "encoder", "component_overrides",
                                                            "optimizer")},
        "trainer": cfg.get("trainer"),
        "preprocessing_profile": cfg.get("preprocessing_profile"),
    }
    hl.atomic_write(stem + ".config.json", json.dumps(subset, indent=2, default=str) + "\n")


def remove_checkpoint(path: str) -> None:
    stem = path[:-len(".ckpt")]
    for p in (path, stem + ".metadata.json", stem + ".config.json"):
        try:
            os.remove(p)
        except FileNotFoundError:
            pass


def mismatches(ckpt: dict, spec: dict) -> list[str]:
    """Components recorded in the checkpoint that differ from what the config builds."""
    diffs = []
    for key in ("architecture", "encoder", "decoder", "head", "loss"):
        recorded = ckpt.get(key)
        if recorded and spec.get(key) and recorded != str(spec[key]):
            diffs.append(f"{key}: checkpoint has {recorded}, the config builds {spec[key]}")
    return diffs


def state_dict_error(diffs: list[str]) -> hl.TaskError:
    body = "\n\t".join(diffs)
    return hl.TaskError(
        "RuntimeError",
        "Error(s) in loading state_dict for OCRPLModule:\n\t" + body +
        "\n\tSelect the components the checkpoint was trained with (see its run's .hydra/config.yaml),"
        "\n\tor set CB_DEMO_STRICT=0 to skip this check in the demo.",
    )


def format_name(pattern: str, values: dict, auto_insert: bool) -> str:
    """Lightning's ModelCheckpoint file-name template: '{epoch:02d}' and friends."""

    def repl(m):
        name, fmt = m.group(1), m.group(2) or ""
        value = values.get(name, 0)
        text = format(value, fmt) if fmt else str(value)
        if auto_insert:
            return f"{name.replace('/', '_')}={text}"
        return text

    return re.sub(r"\{([A-Za-z_/]+)(?::([^}]*))?\}", repl, pattern)


# --------------------------------------------------------------------------------------
# Simulated numbers
# --------------------------------------------------------------------------------------


class Curve:
    """A learning curve for one configuration, deterministic for a given seed."""

    def __init__(self, spec: dict, optimizer: str, lr, seed: int, batch_size: int):
        self.rng = random.Random(int(seed) * 7919 + 17)
        quality = _ENCODER_QUALITY.get(str(spec.get("encoder")), 0.89)
        quality += _ARCH_BONUS.get(str(spec.get("architecture")), 0.0)
        best_lr = _BEST_LR.get(optimizer, 1e-3)
        try:
            penalty = 0.035 * abs(math.log10(float(lr) / best_lr))
        except (TypeError, ValueError, ZeroDivisionError):
            penalty = 0.05
        if batch_size and batch_size < 4:
            penalty += 0.01
        self.h_max = max(0.45, min(0.965, quality - penalty))

    def epoch(self, e: int) -> dict:
        progress = 1 - math.exp(-(e + 1) / 3.2)
        hmean = 0.30 + (self.h_max - 0.30) * progress + self.rng.gauss(0, 0.004)
        hmean = max(0.0, min(0.99, hmean))
        precision = min(0.995, hmean + 0.014 + self.rng.gauss(0, 0.003))
        recall = hmean * precision / max(1e-6, 2 * precision - hmean)
        loss = 0.42 + 2.3 * math.exp(-(e + 1) / 2.6) + abs(self.rng.gauss(0, 0.02))
        return {"train/loss": loss, "val/precision": precision, "val/recall": recall, "val/hmean": hmean}


def params_millions(spec: dict) -> float:
    base = _ENCODER_PARAMS.get(str(spec.get("encoder")), 12.0)
    extra = {"dbnet": 1.2, "dbnetpp": 2.9, "craft": 5.1}.get(str(spec.get("architecture")), 1.5)
    return base + extra


def print_model_summary(spec: dict) -> None:
    total = params_millions(spec)
    rows = [
        ("0", "model", "OCRModel", f"{total:.1f} M", "train"),
        ("1", "model.encoder", _class_for(spec, "encoder"), f"{_ENCODER_PARAMS.get(str(spec.get('encoder')), 12.0):.1f} M", "train"),
        ("2", "model.decoder", _class_for(spec, "decoder"), f"{total * 0.07:.1f} M", "train"),
        ("3", "model.head", _class_for(spec, "head"), f"{total * 0.02:.1f} M", "train"),
        ("4", "model.loss", _class_for(spec, "loss"), "0", "train"),
    ]
    widths = [max(len(r[i]) for r in rows + [("", "Name", "Type", "Params", "Mode")]) for i in range(5)]
    header = ("", "Name", "Type", "Params", "Mode")

    def fmt(r):
        return " | ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip()

    line = "-" * len(fmt(header))
    out = [fmt(header), line] + [fmt(r) for r in rows] + [
        line, f"{total:.1f} M    Trainable params", "0         Non-trainable params",
        f"{total:.1f} M    Total params", f"{total * 4:.3f}    Total estimated model params size (MB)"]
    for text in out:
        hl.console.out(text)


def _class_for(spec: dict, part: str) -> str:
    name = str(spec.get(part) or part)
    if part == "encoder":
        return "TimmBackbone" if not name.startswith("vgg") else "CraftVGGEncoder"
    return "".join(p.capitalize() for p in re.split(r"[_\-]", name))


def lightning_banner() -> None:
    hl.console.log("GPU available: False, used: False")
    hl.console.log("TPU available: False, using: 0 TPU cores")
    hl.console.log("HPU available: False, using: 0 HPUs")


def require_checkpoint(ctx, key: str = "checkpoint_path") -> str:
    """The path given for key, which must exist (relative to the current directory)."""
    path = ctx.cfg.get(key)
    if path in (None, ""):
        raise hl.TaskError(
            "AssertionError",
            f"{key} must be set, e.g. {key}=outputs/<run>/checkpoints/best-hmean-0.8920.ckpt",
        )
    path = str(path)
    if not os.path.isfile(path):
        raise hl.TaskError("FileNotFoundError", f"Checkpoint file not found: {path}")
    return path


def bar_timing(total_steps: int, seconds: float, max_updates: int = 12):
    """Split a phase into a few redraws: return the steps at which to draw and the pause between."""
    updates = max(2, min(max_updates, int(seconds / 0.03) or 2))
    updates = min(updates, max(1, total_steps))
    marks = sorted({max(1, round(total_steps * (k + 1) / updates)) for k in range(updates)})
    return marks, seconds / max(1, len(marks))


# --------------------------------------------------------------------------------------
# Lightning's CSVLogger: <run>/csv/version_N/metrics.csv
# --------------------------------------------------------------------------------------


class CsvLogger:
    """Writes metrics the way Lightning's CSVLogger does: a header of every key seen so far,
    one row per logging call with the other cells empty, rows appended as they come, and the
    whole file rewritten (here atomically) when a key appears that the header lacks."""

    def __init__(self, run_dir: str):
        base = os.path.join(run_dir, "csv")
        version = 0
        while os.path.exists(os.path.join(base, f"version_{version}")):
            version += 1
        self.dir = os.path.join(base, f"version_{version}")
        os.makedirs(self.dir, exist_ok=True)
        self.path = os.path.join(self.dir, "metrics.csv")
        self.keys: list[str] = []
        self.rows: list[dict] = []

    @staticmethod
    def _line(keys, row) -> str:
        cells = []
        for key in keys:
            value = row.get(key)
            cells.append("" if value is None else (str(value) if isinstance(value, int) else repr(float(value))))
        return ",".join(cells) + "\n"

    def log(self, metrics: dict, step: int, epoch: int) -> None:
        row = {"epoch": epoch, "step": step, **metrics}
        self.rows.append(row)
        new_keys = [k for k in row if k not in self.keys]
        if new_keys:
            self.keys = sorted(set(self.keys) | set(new_keys), key=lambda k: (k not in ("epoch", "step"), k))
            text = ",".join(self.keys) + "\n" + "".join(self._line(self.keys, r) for r in self.rows)
            hl.atomic_write(self.path, text)
        else:
            with open(self.path, "a", encoding="utf-8") as fh:
                fh.write(self._line(self.keys, row))
