"""Export a shipped int8 judge again, from its own weights, as `train_judge.py` exports.

    python training/reexport_judge.py resources/models/judge

For a change of export only (such as attention written out as MatMul and Softmax, which onnxruntime
runs about a quarter faster on the CPU than torch's scaled-dot-product graph): training again takes
close to an hour and need not give the same weights, so the weights are read back out of the int8
model instead. Every quantised matrix is dequantised ((q - zero point) x scale), loaded into the same
architecture, exported and quantised again. Dequantised weights lie on their own int8 grid, so the
new model's weights must equal the old ones byte for byte; nothing is written unless they do, and
the script says how far the two models' probabilities lie apart on the dev pairs.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import train_judge  # noqa: E402  (the training script beside this one, not a package)

QUANT_SUFFIX = "/MatMul_quant"


def _initializers(path: Path) -> tuple[dict[str, np.ndarray], dict[str, tuple[str, bool]]]:
    """An int8 judge's initializers as arrays, and where each torch parameter is in them: parameter
    name -> (initializer name, or the prefix of its `_quantized`/`_scale`/`_zero_point` trio; stored
    transposed). Torch names the matrices of its linear layers by number, so those are found by the
    node that multiplies by them; a Gemm's weight was stored transposed for a MatMul."""
    import onnx
    from onnx import numpy_helper

    graph = onnx.load(str(path)).graph
    arrays = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    where: dict[str, tuple[str, bool]] = {}
    for name in arrays:
        if name.startswith(("onnx::", "/")):
            continue
        if name.endswith("_quantized"):
            prefix = name.removesuffix("_quantized")
            where[prefix.removesuffix("_Transposed")] = (prefix, prefix.endswith("_Transposed"))
        elif name.endswith(("weight", "bias")):
            where[name] = (name, False)
    for node in graph.node:
        if node.op_type == "MatMulInteger" and node.name.endswith(QUANT_SUFFIX):
            module = node.name.removeprefix("/").removesuffix(QUANT_SUFFIX).replace("/", ".")
            where[module + ".weight"] = (node.input[1].removesuffix("_quantized"), True)
    return arrays, where


def int8_weights(path: Path) -> dict[str, np.ndarray]:
    """Parameter name -> float32 weights of an int8 judge in torch's layout, quantised ones dequantised."""
    arrays, where = _initializers(path)
    out = {}
    for param, (name, transposed) in where.items():
        if name + "_quantized" in arrays:
            q = arrays[name + "_quantized"].astype(np.float32)
            value = (q - arrays[name + "_zero_point"].astype(np.float32)) * arrays[name + "_scale"].astype(np.float32)
        else:
            value = arrays[name]
        out[param] = value.T.copy() if transposed else value
    return out


def quantised_matrices(path: Path) -> dict[str, bytes]:
    """Parameter name -> its raw bytes as stored (int8 values and scale where quantised), to compare two exports."""
    arrays, where = _initializers(path)
    return {
        param: b"".join(arrays[name + suffix].tobytes() for suffix in ("_quantized", "_scale"))
        if name + "_quantized" in arrays
        else arrays[name].tobytes()
        for param, (name, _) in where.items()
    }


def per_channel(path: Path) -> bool:
    """Whether an int8 judge keeps one scale per output column (`train_judge.py --per-channel`) rather than
    one per matrix; dequantising works the same either way, as a column's scale broadcasts over its rows."""
    arrays, _where = _initializers(path)
    return any(name.endswith("_scale") and value.size > 1 for name, value in arrays.items())


def rebuild(model_dir: Path):
    """The torch model whose int8 export is `model_dir/model.onnx`."""
    import torch
    from transformers import AutoConfig, AutoModelForSequenceClassification

    weights = int8_weights(model_dir / "model.onnx")
    config = AutoConfig.from_pretrained(
        str(train_judge.base_model_dir()),
        num_labels=len(weights["classifier.bias"]),
        id2label=dict(enumerate(train_judge.LABELS)),
        label2id={label: i for i, label in enumerate(train_judge.LABELS)},
    )
    model = AutoModelForSequenceClassification.from_config(config)
    state = model.state_dict()
    missing = [k for k in state if k not in weights and not k.endswith("position_ids")]
    unused = [k for k in weights if k not in state]
    if missing or unused:
        raise SystemExit(f"weights do not match the architecture: missing {missing}, unused {unused}")
    for name, value in weights.items():
        if tuple(state[name].shape) != value.shape:
            raise SystemExit(f"{name}: shape {value.shape} in the model file, {tuple(state[name].shape)} expected")
        state[name] = torch.from_numpy(value)
    model.load_state_dict(state)
    return model.eval()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model_dir", type=Path, help="a judge directory: model.onnx (replaced) and judge.json")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    tok = train_judge.tokenizer(256)
    old = args.model_dir / "model.onnx"
    with tempfile.TemporaryDirectory() as tmp:
        fp32, int8 = train_judge.export(rebuild(args.model_dir), tok, Path(tmp) / "judge", per_channel=per_channel(old))
        fp32.unlink()
        before, after = quantised_matrices(old), quantised_matrices(int8)
        changed = sorted(k for k in before if before[k] != after.get(k))
        if changed or len(before) != len(after):
            raise SystemExit(f"the weights changed ({len(before)} -> {len(after)} tensors): {changed[:5]}")
        dev = train_judge.interview("dev")
        p_old = train_judge.score_windowed(train_judge.ort_runner(old, args.threads), tok, dev, [120])[120]
        p_new = train_judge.score_windowed(train_judge.ort_runner(int8, args.threads), tok, dev, [120])[120]
        print(
            f"{len(before)} weights byte-identical; {len(dev)} dev pairs (windows of 120 words): "
            f"largest probability difference {np.abs(p_old - p_new).max():.2e}"
        )
        shutil.move(int8, old)  # from the temporary directory, which may be on another file system
    print("wrote", old)


if __name__ == "__main__":
    main()
