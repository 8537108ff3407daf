"""The worker process: runs one or more backends in isolation from the runner.

Started as `python -m harness.worker --backends NAME[,NAME...]`. It reads one JSON request per
line on stdin and writes JSON replies, each carrying the request's `seq`, on the original stdout.
Immediately at start-up that stdout is moved to a private descriptor and fd 1 is pointed at
stderr, so whatever a JVM or a native library prints can never corrupt the protocol.

Requests:
  {"seq": 1, "cmd": "hello"}                                   -> {"seq": 1, "backends": {...}}
  {"seq": 2, "cmd": "run", "backend": B, "tests": [test, ...]} -> one {"seq": 2, "index": i,
                                                                  "outcome": {...}} per test,
                                                                  then {"seq": 2, "done": true}
  {"seq": 3, "cmd": "time", "backend": B, "operation": op, "penalty": type, "dtype": d,
   "n": n, "seed": s, "repeats": r, "budget": seconds}         -> {"seq": 3, "outcome": {...}}

Results are streamed one test at a time so that the runner knows exactly which test was running
when a worker died or hung. Outcomes are encoded like the vectors (hex bit patterns): a scalar
{"kind": "scalar", "bits"}, an array {"kind": "array", "bits" (flat, C order), "shape"}, a penalty,
{"kind": "error", "code"} or {"kind": "crash", "message"}. Vector arguments are decoded by
harness/inputs.py (integers, shapes, generated inputs).
"""

from __future__ import annotations

import argparse
import functools
import importlib
import json
import os
import sys
import traceback
from typing import Any

import numpy as np

from harness import codec, data, inputs, timing
from harness.backend import Backend, PenaltySpec, SpecError


def load_registry(spec: str) -> list[Backend]:
    """`module:attribute`, where the attribute is a list of backends or a function returning one."""
    module_name, _, attribute = spec.partition(":")
    found = getattr(importlib.import_module(module_name), attribute or "BACKENDS")
    return list(found() if callable(found) else found)


def decode_penalty(encoded: dict) -> PenaltySpec:
    params = {k: codec.decode_param(v) for k, v in encoded.items() if k not in ("type", "penalty_factor")}
    factor = encoded.get("penalty_factor")
    return PenaltySpec(
        type=encoded["type"],
        params=params,
        penalty_factor=None if factor is None else codec.decode_array(factor, "float64"),
    )


def encode_penalty(penalty: PenaltySpec) -> dict:
    encoded: dict[str, Any] = {"type": penalty.type}
    for key, value in penalty.params.items():
        encoded[key] = codec.encode_scalar(float(value))
    if penalty.penalty_factor is not None:
        encoded["penalty_factor"] = codec.encode_array(np.asarray(penalty.penalty_factor, dtype=np.float64))
    return encoded


def _encode_number(result: Any, operation: str) -> dict:
    """A scalar for value/loss/l1_regularization; an array, flat in C order with its shape, for
    gradient/prox (a 0-d w gives a 0-d array, which is still an array result)."""
    array = np.asarray(result)
    if array.dtype.name not in codec.DTYPES:
        return {
            "kind": "crash",
            "message": f"backend returned dtype {array.dtype.name}",
        }
    if operation in inputs.SCALAR_OPERATIONS and array.ndim == 0:
        return {"kind": "scalar", "bits": codec.encode_scalar(array[()], array.dtype.name)}
    return {"kind": "array", "bits": codec.encode_array(array), "shape": list(array.shape)}


def execute(backend: Backend, test: dict) -> dict:
    """Runs one vector on one backend and encodes what happened."""
    operation = test["operation"]
    args = test.get("args", {})
    try:
        if operation == "from_config":
            return {
                "kind": "penalty",
                "penalty": encode_penalty(backend.from_config(args["config"])),
            }
        if operation == "convert":
            params = {k: codec.decode_param(v) for k, v in args["params"].items()}
            return {
                "kind": "penalty",
                "penalty": encode_penalty(backend.convert(args["convention"], params)),
            }
        if operation == "l1_regularization":
            lambda_ = codec.decode_param(args["lambda"])
            return _encode_number(backend.l1_regularization(inputs.array_arg(test, "w"), lambda_), operation)
        penalty = decode_penalty(test["penalty"])
        if operation == "config_roundtrip":
            text = str(backend.to_config(penalty))  # A JVM adapter may hand back a java.lang.String.
            return {
                "kind": "penalty",
                "penalty": encode_penalty(backend.from_config(text)),
                "config_text": text,
            }
        return _encode_number(_numeric(backend, penalty, test), operation)
    except SpecError as e:
        return {"kind": "error", "code": e.code}
    except Exception:  # Anything but a SpecError is a defect of the backend or its adapter.
        return {"kind": "crash", "message": traceback.format_exc(limit=4)}


def _numeric(backend: Backend, penalty: PenaltySpec, test: dict) -> Any:
    operation, args = test["operation"], test["args"]
    w = inputs.array_arg(test, "w")
    if operation == "value":
        return backend.value(penalty, w)
    if operation == "gradient":
        return backend.gradient(penalty, w)
    if operation == "prox":
        return backend.prox(penalty, w, codec.decode_param(args["step"]))
    if operation == "loss":
        return backend.loss(penalty, inputs.array_arg(test, "y_true"), inputs.array_arg(test, "y_pred"), w)
    raise ValueError(f"unknown operation {operation!r}")


def _call(backend: Backend, operation: str, penalty: PenaltySpec, w: np.ndarray) -> None:
    if operation == "value":
        backend.value(penalty, w)
    elif operation == "gradient":
        backend.gradient(penalty, w)
    elif operation == "prox":
        backend.prox(penalty, w, data.TIMING_STEP)
    else:
        raise ValueError(f"cannot time operation {operation!r}")


@functools.lru_cache(maxsize=2)
def _weights(n: int, dtype: str, seed: int) -> np.ndarray:
    """The timing arrays, kept so that every operation at one size reuses them (1e7 takes a while)."""
    return data.weights(n, dtype, seed)


def measure(backend: Backend, request: dict) -> dict:
    """Median seconds per call on generated data: the backend's own timer when it has one, else
    the Python call (see timing.median_call_seconds)."""
    operation, dtype = request["operation"], request["dtype"]
    penalty = data.penalty(request["penalty"])
    w = _weights(int(request["n"]), dtype, int(request["seed"]))
    repeats, budget = int(request["repeats"]), float(request.get("budget", 10.0))
    try:
        seconds = backend.time_kernel(operation, penalty, w, data.TIMING_STEP, repeats)
        if seconds is not None:
            return {"kind": "timing", "seconds": float(seconds), "method": "time_kernel", "calls": repeats}
        seconds, calls = timing.median_call_seconds(
            lambda: _call(backend, operation, penalty, w), repeats, budget
        )
        return {"kind": "timing", "seconds": seconds, "method": "python-call", "calls": calls}
    except SpecError as e:
        return {"kind": "error", "code": e.code}
    except Exception:  # As in execute(): a defect, reported as a crash.
        return {"kind": "crash", "message": traceback.format_exc(limit=4)}


class Worker:
    def __init__(self, backends: list[Backend], protocol) -> None:
        self.backends = {b.name: b for b in backends}
        self.protocol = protocol
        self.ready: set[str] = set()
        self.setup_failure: dict[str, str] = {}

    def reply(self, message: dict) -> None:
        self.protocol.write(json.dumps(message) + "\n")
        self.protocol.flush()

    def prepare(self, name: str) -> Backend:
        backend = self.backends[name]
        if name not in self.ready and name not in self.setup_failure:
            try:
                backend.setup()
                self.ready.add(name)
            except Exception:  # A failed setup is reported on every test it blocks.
                self.setup_failure[name] = "setup failed: " + traceback.format_exc(limit=4)
        return backend

    def handle(self, request: dict) -> bool:
        seq, cmd = request.get("seq"), request.get("cmd")
        if cmd == "hello":
            status = {}
            for name, backend in self.backends.items():
                try:
                    reason = backend.unavailable()
                except Exception as e:  # A broken check is a reason too.
                    reason = f"unavailable() raised {type(e).__name__}: {e}"
                status[name] = {"unavailable": reason}
            self.reply({"seq": seq, "backends": status, "pid": os.getpid()})
        elif cmd == "run":
            backend = self.prepare(request["backend"])
            failure = self.setup_failure.get(backend.name)
            for index, test in enumerate(request["tests"]):
                outcome = {"kind": "crash", "message": failure} if failure else execute(backend, test)
                self.reply({"seq": seq, "index": index, "outcome": outcome})
            self.reply({"seq": seq, "done": True})
        elif cmd == "time":
            backend = self.prepare(request["backend"])
            failure = self.setup_failure.get(backend.name)
            outcome = {"kind": "crash", "message": failure} if failure else measure(backend, request)
            self.reply({"seq": seq, "outcome": outcome})
        elif cmd == "exit":
            return False
        else:
            self.reply(
                {
                    "seq": seq,
                    "outcome": {"kind": "crash", "message": f"unknown command {cmd!r}"},
                }
            )
        return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m harness.worker", description=__doc__.splitlines()[0])
    parser.add_argument("--registry", default="harness.backends:all_backends")
    parser.add_argument("--backends", required=True, help="comma-separated backend names")
    args = parser.parse_args(argv)

    # Keep the protocol on a private copy of stdout; anything else printing to fd 1 goes to stderr.
    protocol = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    wanted = args.backends.split(",")
    backends = [b for b in load_registry(args.registry) if b.name in wanted]
    worker = Worker(backends, protocol)
    for line in sys.stdin:
        if line.strip() and not worker.handle(json.loads(line)):
            break
    return 0


if __name__ == "__main__":
    sys.exit(main())
