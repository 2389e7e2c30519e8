#!/usr/bin/env python3
"""Demo stand-in for the OCR project's training runner.

It takes the same Hydra overrides as the real `runners/train.py` and answers like
a short PyTorch Lightning run: progress bars, metrics, and checkpoints named as
the project names them, in outputs/<exp_name>/checkpoints/. It needs only Python
3.11: no Hydra, no torch, nothing is trained.

  python3 runners/train.py exp_name=smoke trainer.max_epochs=3
  python3 runners/train.py resume=outputs/demo_training/checkpoints/last.ckpt

Exit codes: 0 done, 1 bad override / config / checkpoint, 2 bad option,
130 after Ctrl+C (SIGINT), 143 after SIGTERM; last.ckpt is saved on both.
Environment: CB_DEMO_FAST=1 (whole run well under a second), CB_DEMO_SECONDS=<s>
(run length, default about 4 s), NO_COLOR=1 (no ANSI colours).
"""

import math
import os
import signal
import sys

sys.dont_write_bytecode = True  # keep the project folder free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import _demo_lightning as dl  # noqa: E402
import _hydra_lite as hl  # noqa: E402

console = hl.console
style = hl.style


def _positive_int(value, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise hl.TaskError("ValueError", f"{what} should be a positive integer value, but got {what}={value!r}")
    return value


def _number(value, what: str, minimum: float = 0.0) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise hl.TaskError("TypeError", f"{what} must be a number, got {value!r}")
    if value < minimum:
        raise hl.TaskError("ValueError", f"Invalid {what} value: {value}")
    return float(value)


def train(ctx) -> int:
    cfg = ctx.cfg
    sel = hl.select
    spec = dl.model_spec(cfg)
    seed = cfg.get("seed", 42)
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise hl.TaskError("TypeError", f"seed must be an integer, got {seed!r}")

    max_epochs = sel(cfg, "trainer.max_epochs", 10)
    if isinstance(max_epochs, bool) or not isinstance(max_epochs, int) or max_epochs < -1:
        raise hl.TaskError("MisconfigurationException",
                           f"`max_epochs` must be a non-negative integer or -1, got {max_epochs!r}")
    accumulate = sel(cfg, "trainer.accumulate_grad_batches", 1)
    if isinstance(accumulate, bool) or not isinstance(accumulate, int) or accumulate <= 0:
        raise hl.TaskError("MisconfigurationException",
                           f"`accumulate_grad_batches` must be an int > 0, got {accumulate!r}")
    _number(sel(cfg, "trainer.gradient_clip_val", 0.0) or 0.0, "gradient_clip_val")
    precision = sel(cfg, "trainer.precision", 32)
    if str(precision) not in dl.ALLOWED_PRECISION:
        raise hl.TaskError("ValueError", f"Precision {str(precision)!r} is invalid. Allowed precision values: "
                                         f"{dl.ALLOWED_PRECISION}")
    batch_size = _positive_int(sel(cfg, "dataloaders.train_dataloader.batch_size", 4), "batch_size")
    val_batch_size = _positive_int(sel(cfg, "dataloaders.val_dataloader.batch_size", 4), "batch_size")
    lr = _number(sel(cfg, "model.optimizer.lr", 1e-3), "learning rate")
    _number(sel(cfg, "model.optimizer.weight_decay", 0.0), "weight_decay")
    optimizer_name = str(sel(cfg, "model.optimizer._target_", "torch.optim.Adam")).rsplit(".", 1)[-1].lower()

    mc = sel(cfg, "callbacks.model_checkpoint", {}) or {}
    ckpt_dir = str(mc.get("dirpath") or os.path.join(ctx.run_dir, "checkpoints"))
    pattern = str(mc.get("filename") or "{epoch}-{step}")
    auto_insert = bool(mc.get("auto_insert_metric_name", True))
    monitor = str(mc.get("monitor") or "val/hmean")
    mode = str(mc.get("mode") or "max")
    save_top_k = mc.get("save_top_k", 1)
    save_last = bool(mc.get("save_last", True))
    metric_name = monitor.rsplit("/", 1)[-1]

    budget = dl.run_seconds(3.6)
    state = {"epoch": 0, "global_step": 0, "epoch_start_step": 0, "best": None}

    def ckpt_info(epoch, step, metrics=None):
        info = {"exp_name": cfg.get("exp_name")}
        info.update({k: spec.get(k) for k in ("architecture", "encoder", "decoder", "head", "loss")})
        info.update({"epoch": epoch, "global_step": step, "seed": seed})
        if metrics:
            info[monitor] = f"{metrics[monitor]:.4f}"
        if state["best"] is not None:
            info["best_" + metric_name] = f"{state['best']:.4f}"
        return info

    try:
        console.log(f"Seed set to {seed}")
        ctx.sleep(budget * 0.04)
        resume = cfg.get("resume")
        if resume not in (None, ""):
            path = dl.require_checkpoint(ctx, "resume")
            info = dl.read_checkpoint(path)
            console.log(f"Restoring states from the checkpoint path at {path}")
            recorded = {k: info.get(k) for k in spec if info.get(k)}
            if recorded and any(recorded[k] != str(spec[k]) for k in recorded):
                console.log("The checkpoint was trained with " + dl.format_spec({**spec, **recorded}) +
                            "; the demo continues with those components (a real run would need matching "
                            "overrides to load the state_dict).", "WARNING")
                spec.update(recorded)
                model = cfg.setdefault("model", {})
                model["architecture_name"] = spec["architecture"]
                model.setdefault("encoder", {})["model_name"] = spec["encoder"]
                for part in ("decoder", "head", "loss"):
                    model.setdefault("component_overrides", {}).setdefault(part, {})["name"] = spec[part]
                ctx.write_record()
            try:
                state["epoch"] = int(info.get("epoch", -1)) + 1
                state["global_step"] = int(info.get("global_step", 0))
                best = info.get("best_" + metric_name) or info.get(monitor)
                state["best"] = float(best) if best else None
            except ValueError:
                pass
            console.log(f"Restored all states from the checkpoint at {path} (continuing at epoch {state['epoch']})")

        if sel(cfg, "logger.wandb.enabled", False):
            console.log("wandb: Tracking run with wandb (demo: offline, nothing is uploaded)")
        dl.lightning_banner()
        if os.path.isdir(ckpt_dir) and os.listdir(ckpt_dir):
            console.log(f"Checkpoint directory {ctx.rel(ckpt_dir)} exists and is not empty.", "WARNING")
        dl.print_model_summary(spec)

        curve = dl.Curve(spec, optimizer_name, lr, seed, batch_size)
        steps = math.ceil(dl.TRAIN_IMAGES / batch_size)
        limit = sel(cfg, "trainer.limit_train_batches")
        if isinstance(limit, int) and not isinstance(limit, bool) and limit > 0:
            steps = min(steps, limit)
        elif isinstance(limit, float) and 0 < limit <= 1:
            steps = max(1, math.ceil(steps * limit))
        opt_steps = math.ceil(steps / accumulate)
        val_steps = math.ceil(dl.VAL_IMAGES / val_batch_size)
        rate = 40.0 / batch_size
        infinite = max_epochs == -1
        to_run = 0 if infinite else max(0, max_epochs - state["epoch"])
        per_epoch = dl.run_seconds(0.4) if infinite else (budget * 0.9 / to_run if to_run else 0.0)

        # the two sanity-check validation batches Lightning runs before training
        if state["epoch"] < max_epochs or infinite:
            sanity = min(2, val_steps)
            console.bar(hl.format_bar("Sanity Checking DataLoader 0", 0, sanity, 0, rate, colour="36"))
            ctx.sleep(budget * 0.03)
            console.bar(hl.format_bar("Sanity Checking DataLoader 0", sanity, sanity, sanity / rate, rate,
                                      colour="36"))
            ctx.sleep(budget * 0.01)
            console.clear_bar()

        csv_logger = dl.CsvLogger(ctx.run_dir)
        lr_key = "lr-" + {"adam": "Adam", "adamw": "AdamW"}.get(optimizer_name, optimizer_name)
        kept: list[tuple[float, str]] = []      # (score, path) of the epoch checkpoints this run keeps
        best_file = None
        last_metrics = None
        while infinite or state["epoch"] < max_epochs:
            epoch = state["epoch"]
            metrics = curve.epoch(epoch)
            previous_loss = last_metrics["train/loss"] if last_metrics else metrics["train/loss"] + 0.9
            marks, pause = dl.bar_timing(steps, per_epoch * 0.75)
            desc = f"Epoch {epoch}"
            start_step = state["epoch_start_step"] = state["global_step"]
            for n in marks:
                ctx.sleep(pause)
                frac = n / steps
                loss = previous_loss + (metrics["train/loss"] - previous_loss) * frac
                state["global_step"] = start_step + math.ceil(n / accumulate)
                csv_logger.log({"train/loss": round(loss, 5), lr_key: lr}, state["global_step"], epoch)
                postfix = f"v_num=0, train/loss={loss:.3f}"
                if last_metrics:
                    postfix += f", val/hmean={last_metrics['val/hmean']:.3f}"
                console.bar(hl.format_bar(desc, n, steps, n / rate, rate, postfix))
            state["global_step"] = start_step + opt_steps
            vmarks, vpause = dl.bar_timing(val_steps, per_epoch * 0.25, max_updates=4)
            for n in vmarks:
                ctx.sleep(vpause)
                console.bar(hl.format_bar("Validation DataLoader 0", n, val_steps, n / rate, rate, colour="36"))
            console.clear_bar()
            csv_logger.log({k: round(v, 5) for k, v in metrics.items() if k.startswith("val/")},
                           state["global_step"], epoch)
            postfix = (f"v_num=0, train/loss={metrics['train/loss']:.3f}, "
                       f"val/hmean={metrics['val/hmean']:.3f}")
            console.bar(hl.format_bar(desc, steps, steps, steps / rate, rate, postfix))
            console.end_bar()
            console.out(f"Epoch {epoch}: " + "  ".join(
                f"{style(k, '36')}={v:.4f}" for k, v in metrics.items()))
            last_metrics = metrics

            # checkpointing, as the project's callback names things
            score = metrics[monitor] if monitor in metrics else metrics["val/hmean"]
            step = state["global_step"]
            better = state["best"] is None or (score > state["best"] if mode == "max" else score < state["best"])
            if save_top_k != 0:
                values = {"epoch": epoch, "step": step, monitor: score, metric_name: score}
                name = dl.format_name(pattern, values, auto_insert)
                path = os.path.join(ckpt_dir, name + ".ckpt")
                version = 1
                while os.path.exists(path) and all(p != path for _, p in kept):
                    path = os.path.join(ckpt_dir, f"{name}_v{version}.ckpt")
                    version += 1
                if save_top_k == -1 or len(kept) < save_top_k or better:
                    dl.write_checkpoint(path, ckpt_info(epoch, step, metrics))
                    dl.write_sidecars(path, ckpt_info(epoch, step, metrics), cfg)
                    kept.append((score, path))
                    kept.sort(key=lambda item: item[0], reverse=(mode == "max"))
                    while save_top_k != -1 and len(kept) > save_top_k:
                        _, dropped = kept.pop()
                        dl.remove_checkpoint(dropped)
                    best_shown = score if better else state["best"]
                    console.log(f"Epoch {epoch}, global step {step}: '{monitor}' reached {score:.5f} "
                                f"(best {best_shown:.5f}), saving model to '{ctx.rel(path)}' as top "
                                f"{save_top_k if save_top_k != -1 else 'k'}")
                else:
                    console.log(f"Epoch {epoch}, global step {step}: '{monitor}' was not in top {save_top_k}")
            if better:
                state["best"] = score
                new_best = os.path.join(ckpt_dir, f"best-{metric_name}-{score:.4f}.ckpt")
                dl.write_checkpoint(new_best, ckpt_info(epoch, step, metrics))
                dl.write_sidecars(new_best, ckpt_info(epoch, step, metrics), cfg)
                if best_file and best_file != new_best:
                    dl.remove_checkpoint(best_file)
                best_file = new_best
            if save_last:
                last = os.path.join(ckpt_dir, "last.ckpt")
                dl.write_checkpoint(last, ckpt_info(epoch, step, metrics))
                dl.write_sidecars(last, ckpt_info(epoch, step, metrics), cfg)
            state["epoch"] = epoch + 1
            state["epoch_start_step"] = state["global_step"]
            ctx.check_signal()

        console.log(f"`Trainer.fit` stopped: `max_epochs={max_epochs}` reached.")
        if sel(cfg, "logger.wandb.enabled", False) and last_metrics:
            console.log(f"wandb: Run summary: {monitor} {last_metrics['val/hmean']:.4f} (demo: not synced)")
        if best_file:
            console.out(style("Best checkpoint: ", "1") + f"{ctx.rel(best_file)} ({monitor}={state['best']:.4f})")
        elif not to_run:
            console.out("Nothing to train: the run already reached max_epochs.")
        return 0

    except hl.Interrupted as exc:
        ctx.signals.ignore_more()
        console.end_bar()
        if exc.signum == signal.SIGINT:
            console.log("Detected KeyboardInterrupt, attempting graceful shutdown...")
        else:
            console.log(f"[rank: 0] Received SIGTERM: {int(exc.signum)}")
        # last.ckpt holds the last completed epoch, so that resuming repeats the interrupted one
        last = os.path.join(ckpt_dir, "last.ckpt")
        info = ckpt_info(state["epoch"] - 1, state["epoch_start_step"])
        info.update({"interrupted_epoch": state["epoch"], "interrupted_step": state["global_step"]})
        dl.write_checkpoint(last, info)
        dl.write_sidecars(last, info, cfg)
        console.log(f"Saved the interrupted run to {ctx.rel(last)} "
                    f"(epoch {state['epoch']}, global step {state['global_step']})")
        return 130 if exc.signum == signal.SIGINT else 143


if __name__ == "__main__":
    hl.run("train", train, __file__)
