"""Lists the Resize variants on which onnxruntime and the onnx reference evaluator (the
spec's implementation) disagree, on the inputs ResampleVersusOnnxRuntimeTests uses: those
cases are checked against the reference only. Run by hand when either package changes.

usage: resize_disagreements.py
"""
import numpy as np
import onnxruntime
from onnx import TensorProto, helper, numpy_helper
from onnx.reference import ReferenceEvaluator


def outputs(x, attributes, roi=None, scales=None, sizes=None):
    """Both runtimes' outputs (or their error text) for one Resize node at opset 19."""
    initializers, names = [], ["x"]
    for name, value, dtype in [("roi", roi, np.float32), ("scales", scales, np.float32), ("sizes", sizes, np.int64)]:
        if value is None:
            names.append("")
            continue
        initializers.append(numpy_helper.from_array(np.array(value, dtype=dtype), name))
        names.append(name)
    while names[-1] == "":
        names.pop()
    graph = helper.make_graph([helper.make_node("Resize", names, ["y"], **attributes)], "resize",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, x.shape)],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 19)])
    results = []
    for run in (lambda: onnxruntime.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"]).run(None, {"x": x}),
                lambda: ReferenceEvaluator(model).run(None, {"x": x})):
        try:
            results.append(run()[0])
        except Exception as error:  # a refusal is a finding too
            results.append(str(error).splitlines()[0][:120])
    return results


def main():
    x = np.random.default_rng(0).uniform(-1, 1, (2, 3, 7, 9)).astype(np.float32)
    modes = [("nearest", "round_prefer_floor"), ("nearest", "round_prefer_ceil"), ("nearest", "floor"), ("nearest", "ceil"),
             ("linear", None), ("cubic", None)]
    transformations = ["half_pixel", "half_pixel_symmetric", "pytorch_half_pixel", "align_corners", "asymmetric", "tf_crop_and_resize"]
    for mode, nearest_mode in modes:
        for transformation in transformations:
            for direction, scales in [("up", [1, 1, 1.7, 2.3]), ("down", [1, 1, 0.6, 0.45])]:
                attributes = dict(mode=mode, coordinate_transformation_mode=transformation, extrapolation_value=-3.0)
                if nearest_mode:
                    attributes["nearest_mode"] = nearest_mode
                roi = [0, 0, -0.2, 0.1, 1, 1, 0.9, 1.3] if transformation == "tf_crop_and_resize" else None
                runtime, reference = outputs(x, attributes, roi=roi, scales=scales)
                label = f"{mode} {nearest_mode or ''} {transformation} {direction}"
                if isinstance(runtime, str) or isinstance(reference, str):
                    print(label, "refused:", runtime if isinstance(runtime, str) else reference)
                elif runtime.shape != reference.shape:
                    print(label, "shapes", runtime.shape, reference.shape)
                elif np.abs(runtime - reference).max() > 1e-4:
                    print(label, "max |difference| %.3g" % np.abs(runtime - reference).max())


if __name__ == "__main__":
    main()
