#!/usr/bin/env python3
"""Demo stand-in for the OCR project's prediction runner.

Takes the same Hydra overrides as the real `runners/predict.py`. checkpoint_path
is required and must exist; the model components must match a demo checkpoint
(CB_DEMO_STRICT=0 skips that). Writes the submission to
outputs/<exp_name>/submissions/<YYYYmmdd_HHMMSS>.json: pretty-printed, or compact
with minified_json=true, with a confidence per word when include_confidence=true.

  {"images": {"<file name>": {"words": {"0001": {"points": [[x, y], ...]}}}}}

Exit codes: 0 done, 1 bad override / config / missing or mismatched checkpoint,
2 bad option, 130 after Ctrl+C, 143 after SIGTERM.
Environment: CB_DEMO_FAST=1, CB_DEMO_SECONDS=<s>, CB_DEMO_STRICT=0, NO_COLOR=1.
"""

import json
import os
import random
import signal
import sys
import time

sys.dont_write_bytecode = True  # keep the project folder free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import _demo_lightning as dl  # noqa: E402
import _hydra_lite as hl  # noqa: E402

console = hl.console
DEMO_IMAGES = 24


def image_names(image_dir: str) -> list[str]:
    try:
        names = sorted(f for f in os.listdir(image_dir) if f.lower().endswith((".jpg", ".jpeg", ".png")))
    except OSError:
        names = []
    if names:
        return names
    console.log(f"No images in {image_dir}: predicting {DEMO_IMAGES} synthetic receipt images instead (demo).")
    return [f"receipt_test_{i:04d}.jpg" for i in range(1, DEMO_IMAGES + 1)]


def ground_truth(image_dir: str) -> dict:
    """The word boxes of the demo's own test images (<dataset>/jsons/test.json), if there."""
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(image_dir))), "jsons", "test.json")
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh).get("images", {})
    except (OSError, ValueError, AttributeError):
        return {}


def detect_words(rng: random.Random, truth: dict, threshold: float, limit: int) -> list[dict]:
    """What a detector finds on an image whose words are known: most of them, a few pixels off."""
    words = []
    for word in truth.get("words", {}).values():
        if rng.random() < 0.04:
            continue  # missed
        score = min(0.999, max(0.05, rng.betavariate(9, 1.4)))
        if score < threshold:
            continue
        points = [[x + rng.randint(-2, 2), y + rng.randint(-2, 2)] for x, y in word.get("points", [])]
        words.append({"points": points, "confidence": round(score, 4)})
    return words[:limit]


def predict_words(rng: random.Random, threshold: float, limit: int) -> list[dict]:
    words = []
    y = 40 + rng.randint(0, 30)
    while y < 1180 and len(words) < limit:
        x = 30 + rng.randint(0, 60)
        for _ in range(rng.randint(1, 3)):
            width = rng.randint(40, 260)
            height = rng.randint(22, 34)
            if x + width > 860:
                break
            score = min(0.999, max(0.05, rng.betavariate(8, 1.6)))
            if score >= threshold:
                words.append({"points": [[x, y], [x + width, y], [x + width, y + height], [x, y + height]],
                              "confidence": round(score, 4)})
            x += width + rng.randint(12, 60)
        y += rng.randint(60, 140)
    return words[:limit]


def pretty_json(document: dict) -> str:
    """Indented JSON with one line per word, so that a submission stays readable."""
    lines = ["{", '    "images": {']
    images = list(document["images"].items())
    for i, (name, image) in enumerate(images):
        lines.append(f"        {json.dumps(name, ensure_ascii=False)}: {{")
        lines.append('            "words": {')
        words = list(image["words"].items())
        for j, (key, word) in enumerate(words):
            comma = "," if j < len(words) - 1 else ""
            lines.append(f"                {json.dumps(key)}: {json.dumps(word, separators=(', ', ': '))}{comma}")
        lines.append("            }")
        lines.append("        }" + ("," if i < len(images) - 1 else ""))
    lines += ["    }", "}"]
    return "\n".join(lines) + "\n"


def predict(ctx) -> int:
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
        dl.lightning_banner()
        console.log(f"Restoring states from the checkpoint path at {path}")

        threshold = cfg.get("score_threshold", 0.3)
        if isinstance(threshold, bool) or not isinstance(threshold, (int, float)):
            raise hl.TaskError("TypeError", f"score_threshold must be a number, got {threshold!r}")
        limit = cfg.get("max_detections", 500)
        image_dir = str(cfg.get("image_dir") or "")
        names = image_names(image_dir)
        truth = ground_truth(image_dir)
        seed = cfg.get("seed", 42)
        minified = cfg.get("minified_json") is True
        with_confidence = cfg.get("include_confidence") is True

        images = {}
        total = len(names)
        marks, pause = dl.bar_timing(total, dl.run_seconds(1.5))
        done = 0
        for mark in marks:
            ctx.sleep(pause)
            while done < mark:
                name = names[done]
                rng = random.Random(f"{seed}:{name}")
                words = {}
                found = (detect_words(rng, truth[name], float(threshold), int(limit)) if name in truth
                         else predict_words(rng, float(threshold), int(limit)))
                for k, word in enumerate(found, 1):
                    entry = {"points": word["points"]}
                    if with_confidence:
                        entry["confidence"] = word["confidence"]
                    words[f"{k:04d}"] = entry
                images[name] = {"words": words}
                done += 1
            console.bar(hl.format_bar("Predicting DataLoader 0", done, total, done / 2.5, 2.5, colour="35"))
        console.end_bar()

        out_dir = str(cfg.get("submission_dir") or os.path.join(ctx.run_dir, "submissions"))
        out_path = os.path.join(out_dir, time.strftime("%Y%m%d_%H%M%S") + ".json")
        document = {"images": images}
        if minified:
            text = json.dumps(document, separators=(",", ":"), ensure_ascii=False)
        else:
            text = pretty_json(document)
        ctx.check_signal()
        hl.atomic_write(out_path, text)
        n_words = sum(len(v["words"]) for v in images.values())
        console.out(hl.style("Submission saved: ", "1") + f"{ctx.rel(out_path)} "
                    f"({len(images)} images, {n_words} words"
                    f"{', with confidence' if with_confidence else ''}{', minified' if minified else ''})")
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
    hl.run("predict", predict, __file__)
