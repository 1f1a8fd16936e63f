#!/usr/bin/python3
"""Writes the tiny ONNX separation models the separation tests run (Debian: apt-get install python3-onnx).

tiny-separation.onnx follows the operator contract of docs/analysis.md ("Separation with an ONNX model"): input
float [1, 2, 8192] at 22050 Hz, output float [1, 3, 2, 8192] = stems bass, vocals, other. Its stems are known
linear filters of the input, so tests can compute what each stem must be:
  bass   = a 101-tap Hann-windowed-sinc low-pass (cutoff 300 Hz), per channel (a grouped Conv1d, zero-padded "same")
  vocals = a 101-tap band-pass (the 3 kHz low-pass minus the 600 Hz low-pass), per channel
  other  = input - bass - vocals
The taps are written to tiny-separation-filters.json for the tests; the sidecar to tiny-separation.json.
wrong-shape.onnx is an identity over [1, 8192] (rank 2), for the shape-check tests; dynamic-one-stem.onnx takes
[1, 2, samples] of any length and returns the input as one stem [1, 1, 2, samples]. Its stem count is open in the
graph (an If whose untaken branch would return three stems, so shape inference cannot fix it), for open
dimensions and for the check of what a model actually returns.

Run from anywhere: python3 make_tiny_separation_models.py (writes next to this script). Deterministic output.
"""
import json
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

RATE = 22050
CHANNELS = 2
CHUNK = 8192
TAPS = 101
HERE = os.path.dirname(os.path.abspath(__file__))


def lowpass(cutoff_hz):
    n = np.arange(TAPS) - (TAPS - 1) / 2
    fc = cutoff_hz / RATE
    h = 2 * fc * np.sinc(2 * fc * n) * np.hanning(TAPS + 2)[1:-1]
    return h / h.sum()  # unit gain at DC


def grouped_conv(name, taps, inp, out):
    # ONNX Conv is a cross-correlation; the taps are symmetric, so it equals the convolution
    weight = numpy_helper.from_array(np.tile(taps.astype(np.float32), (CHANNELS, 1, 1)), name + "_w")
    node = helper.make_node("Conv", [inp, weight.name], [out], group=CHANNELS, pads=[TAPS // 2, TAPS // 2],
                            kernel_shape=[TAPS], name=name)
    return weight, node


def tiny_filters_model(bass, vocals):
    inits, nodes = [], []
    for name, taps in (("bass", bass), ("vocals", vocals)):
        w, n = grouped_conv(name, taps, "mix", name)
        inits.append(w)
        nodes.append(n)
    nodes.append(helper.make_node("Sub", ["mix", "bass"], ["rest"]))
    nodes.append(helper.make_node("Sub", ["rest", "vocals"], ["other"]))
    axes = numpy_helper.from_array(np.array([1], dtype=np.int64), "axis1")
    inits.append(axes)
    for s in ("bass", "vocals", "other"):
        nodes.append(helper.make_node("Unsqueeze", [s, "axis1"], [s + "_4d"]))
    nodes.append(helper.make_node("Concat", ["bass_4d", "vocals_4d", "other_4d"], ["stems"], axis=1))
    graph = helper.make_graph(nodes, "tiny-separation",
                              [helper.make_tensor_value_info("mix", TensorProto.FLOAT, [1, CHANNELS, CHUNK])],
                              [helper.make_tensor_value_info("stems", TensorProto.FLOAT, [1, 3, CHANNELS, CHUNK])],
                              inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="tonearm-tests")


def wrong_shape_model():
    graph = helper.make_graph([helper.make_node("Identity", ["mix"], ["stems"])], "wrong-shape",
                              [helper.make_tensor_value_info("mix", TensorProto.FLOAT, [1, CHUNK])],
                              [helper.make_tensor_value_info("stems", TensorProto.FLOAT, [1, CHUNK])])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="tonearm-tests")


def dynamic_one_stem_model():
    axes = numpy_helper.from_array(np.array([1], dtype=np.int64), "axis1")
    huge = numpy_helper.from_array(np.array(1e30, dtype=np.float32), "huge")
    one = helper.make_graph([helper.make_node("Unsqueeze", ["mix", "axis1"], ["one_stem"])], "one", [],
                            [helper.make_tensor_value_info("one_stem", TensorProto.FLOAT, None)])
    three = helper.make_graph([helper.make_node("Unsqueeze", ["mix", "axis1"], ["single"]),
                               helper.make_node("Concat", ["single", "single", "single"], ["three_stems"], axis=1)],
                              "three", [], [helper.make_tensor_value_info("three_stems", TensorProto.FLOAT, None)])
    nodes = [helper.make_node("Abs", ["mix"], ["magnitude"]),
             helper.make_node("ReduceSum", ["magnitude"], ["total"], keepdims=0),
             helper.make_node("Greater", ["total", "huge"], ["never"]),
             helper.make_node("If", ["never"], ["stems"], then_branch=three, else_branch=one)]
    graph = helper.make_graph(nodes, "dynamic-one-stem",
                              [helper.make_tensor_value_info("mix", TensorProto.FLOAT, [1, CHANNELS, "samples"])],
                              [helper.make_tensor_value_info("stems", TensorProto.FLOAT, [1, "stems", CHANNELS, "samples"])],
                              [axes, huge])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="tonearm-tests")


def save(model, name):
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(HERE, name))


def write_json(value, name):
    with open(os.path.join(HERE, name), "w") as f:
        json.dump(value, f, indent=2)
        f.write("\n")


def main():
    bass = lowpass(300)
    vocals = lowpass(3000) - lowpass(600)
    save(tiny_filters_model(bass, vocals), "tiny-separation.onnx")
    save(wrong_shape_model(), "wrong-shape.onnx")
    save(dynamic_one_stem_model(), "dynamic-one-stem.onnx")
    write_json({"name": "tiny-filters", "sample_rate": RATE, "channels": CHANNELS, "stems": ["bass", "vocals", "other"],
                "chunk_samples": CHUNK, "overlap": 0.25}, "tiny-separation.json")
    write_json({"sample_rate": RATE, "bass": [float(x) for x in bass.astype(np.float32)],
                "vocals": [float(x) for x in vocals.astype(np.float32)]}, "tiny-separation-filters.json")


if __name__ == "__main__":
    main()
