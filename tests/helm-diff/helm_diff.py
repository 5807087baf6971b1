"""Differential test of `mlc import` + `mlc build` against the real MLflow Helm chart.

usage: helm_diff.py [--cases N] [--seed S] [--random-seed] [--case I] [--jobs J]
                    [--chart DIR] [--mlc PATH] [--stdlib DIR] [--keep DIR]

Each case is a random, plausible values file (generate.py) with a release name and a
namespace. Helm renders it in-process (helm-python-sdk: Helm v4's own engine, the chart
loaded once); mlc turns it into an .mlc file with the real `mlc import` and builds it with
the real `mlc build -o json`. The two sets of objects are compared as data, object by
object by kind and name; only the `helm.sh/chart` label, the value of the
`app.kubernetes.io/managed-by` label and a `metadata.namespace` equal to the release
namespace (which Helm leaves to install time) may differ.

Every case ends in one class:
  match        both sides give the same objects
  both-fail    the chart refuses the values (a template `fail`) and so does mlc
  own-check    Helm renders, mlc refuses on purpose with one of its own checks
               (stdlib/mlflow/validate.mlc): counted apart, see OWN_CHECKS; with
               `--waived` they are allowed, so none is left
  helm-invalid Helm's output is not valid Kubernetes (the API server would reject it)
               and mlc refuses it or differs from it
  mismatch     anything else: the test fails

Case I of seed S is the same values file on every machine (`--seed S --case I` replays
it). A mismatch is shrunk (options removed while it still fails the same way) and
printed with its first differing paths. Exit status 1 when any case is a mismatch.
"""
import argparse
import concurrent.futures
import json
import os
import random
import re
import subprocess
import sys
import shutil
import tempfile
import threading
import time
from pathlib import Path

import yaml

import generate

FIXED_SEED = 11

# The error codes of mlc's own checks (stdlib/mlflow/validate.mlc, `mlc explain`) that
# refuse on purpose what the chart renders. A plain run counts the cases they refuse apart
# ("own-check"); a run with `--waived` builds with `--allow` for each, and then mlc must
# give Helm's objects, as a user migrating a Helm release would. E0520
# (`unknown-server-option`) is the typed `mlflow server` command line: a key or flag MLflow
# does not take, with which the container stops at start ("No such option").
OWN_CHECKS = ["E0512", "E0513", "E0514", "E0515", "E0516", "E0517", "E0518", "E0519", "E0520"]
OWN_CHECK_ERROR = re.compile(r"error\[(" + "|".join(OWN_CHECKS) + r")\]")
ALLOW = []
# A name the API server rejects (a CronJob over 52 characters, ...): Helm's output is not
# valid Kubernetes, which kubernetes-validate does not see.
NAME_RULE_ERROR = re.compile(r"is not a valid name for an? [A-Za-z]+")


class Helm:
    """The chart, loaded once, rendered in-process like `helm template`."""

    def __init__(self, chart_dir):
        import helm_python

        self.helm = helm_python
        self.chart = helm_python.Chart.load(str(chart_dir))
        self.configs = {}

    def render(self, release, namespace, text):
        """`("ok", objects)` or `("fail", message)`."""
        config = self.configs.get(namespace)
        if config is None:
            config = self.configs[namespace] = self.helm.Config(storage_driver="memory", namespace=namespace)
        try:
            values = self.helm.values_from_yaml(text)
            release = config.install(self.chart, release, values, namespace=namespace, dry_run="client")
        except self.helm.HelmError as error:
            return "fail", str(error)
        objects = [o for o in yaml.safe_load_all(release["manifest"]) if o is not None]
        return "ok", objects


class Mlc:
    """The real `mlc import` and `mlc build` binaries."""

    def __init__(self, binary, stdlib, workdir):
        self.binary = binary
        self.stdlib = stdlib
        self.workdir = Path(workdir)

    def run(self, index, release, namespace, text):
        """`("ok", objects, stderr)` or `("fail", stderr)`."""
        # One file per worker thread, rewritten for each case: the run uses no more disk
        # for 100,000 cases than for one.
        slot = threading.get_ident()
        values = self.workdir / f"case-{slot}.yaml"
        values.write_text(text)
        imported = subprocess.run(
            [self.binary, "--color", "never", "import", "--name", release, "--namespace", namespace, str(values)],
            capture_output=True, text=True,
        )
        if imported.returncode != 0:
            return "fail", "mlc import: " + imported.stderr
        source = imported.stdout
        if self.stdlib:
            # Build against the stdlib of the working tree, without rebuilding mlc.
            source = source.replace("import <mlflow>", f"import {self.stdlib}/mlflow.mlc")
        file = self.workdir / f"case-{slot}.mlc"
        file.write_text(source)
        command = [self.binary, "--color", "never", "build", "-o", "json", str(file)]
        for code in ALLOW:
            command += ["--allow", code]
        built = subprocess.run(command, capture_output=True, text=True)
        if built.returncode != 0:
            return "fail", "mlc build: " + built.stderr + "\n--- imported file\n" + source
        try:
            objects = json.loads(built.stdout)
        except json.JSONDecodeError as error:
            return "fail", f"mlc build printed no JSON ({error}):\n{built.stdout[:2000]}"
        return "ok", objects, built.stderr

    def schema_errors(self, objects):
        """What mlc's schema check (`mlc check`, the check `mlc build` makes of every object
        before printing it) finds wrong in `objects`, as `(index, message)` (index None for
        a finding of no one object): each object is written as `builtins.fromJSON "..."`,
        one per line of a list, so that a diagnostic's line names its object."""
        if not objects:
            return []
        def literal(obj):
            text = json.dumps(obj).replace("\\", "\\\\").replace('"', '\\"').replace("${", "\\${")
            return f'(builtins.fromJSON "{text}")'
        with tempfile.TemporaryDirectory(prefix="helm-diff-schema-", dir=self.workdir) as scratch:
            file = Path(scratch) / "objects.mlc"
            file.write_text("[\n" + "".join(literal(obj) + "\n" for obj in objects) + "]\n")
            checked = subprocess.run(
                [self.binary, "--color", "never", "--message-format", "json", "check", str(file)],
                capture_output=True, text=True,
            )
        errors = []
        # The diagnostics are JSON lines on stderr.
        for line in checked.stderr.splitlines():
            if not line.startswith("{"):
                continue
            diagnostic = json.loads(line)
            # W0501: a kind mlc holds the CRD of, in an apiVersion that CRD does not serve
            # (ESO v2.9.0 serves only `external-secrets.io/v1`): a cluster with those
            # CRDs refuses the object.
            if diagnostic.get("severity") != "error" and diagnostic.get("code") != "W0501":
                continue
            index = diagnostic.get("line_start", 0) - 2
            message = diagnostic["message"]
            if 0 <= index < len(objects):
                # The caller names the object: the message need not (so that the summary
                # counts one rule once, whatever the release's name).
                obj = objects[index]
                name = f"{obj.get('kind')} `{(obj.get('metadata') or {}).get('name')}`"
                message = message.replace(f" of {name}", "").replace(f"{name} ", "")
            else:
                # A diagnostic at no object's line (a name rule) names the object itself.
                index = None
            errors.append((index, message))
        if checked.returncode != 0 and not errors:
            errors.append((None, f"mlc check of the custom resources failed: {checked.stderr.strip()[:500]}"))
        return errors


def key(obj):
    return f"{obj.get('kind', '?')}/{(obj.get('metadata') or {}).get('name', '?')}"


def without_nulls(value):
    """Kubernetes reads a field set to null as a field left out."""
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(v) for v in value]
    return value


def normalise(objects, namespace, helm_side):
    out = {}
    for obj in map(without_nulls, objects):
        if not isinstance(obj, dict):
            continue
        metadata = obj.get("metadata")
        if isinstance(metadata, dict):
            labels = metadata.get("labels")
            if isinstance(labels, dict):
                labels.pop("helm.sh/chart", None)
                if "app.kubernetes.io/managed-by" in labels:
                    labels["app.kubernetes.io/managed-by"] = "mlc"
            # Helm leaves the namespace of most objects to install time.
            if not helm_side and metadata.get("namespace") == namespace:
                metadata["namespace"] = "<release namespace>"
            if helm_side and "namespace" not in metadata and obj.get("kind") not in CLUSTER_KINDS:
                metadata["namespace"] = "<release namespace>"
            elif helm_side and metadata.get("namespace") == namespace:
                metadata["namespace"] = "<release namespace>"
        out[key(obj)] = obj
    return out


CLUSTER_KINDS = {"ClusterRole", "ClusterRoleBinding", "Namespace"}


def differences(a, b, path="", out=None, limit=8):
    """Paths at which `a` (Helm) and `b` (mlc) differ, at most `limit`."""
    if out is None:
        out = []
    if len(out) >= limit:
        return out
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b), key=str):
            if k not in b:
                out.append(f"{path}.{k}: helm {short(a[k])}, mlc has none")
            elif k not in a:
                out.append(f"{path}.{k}: mlc {short(b[k])}, helm has none")
            else:
                differences(a[k], b[k], f"{path}.{k}", out, limit)
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            differences(x, y, f"{path}[{i}]", out, limit)
    elif a != b or type(a) is not type(b):
        out.append(f"{path}: helm {short(a)}, mlc {short(b)}")
    return out[:limit]


def short(value):
    text = json.dumps(value)
    return text if len(text) <= 120 else text[:117] + "..."


# What the published CRDs of the custom resources the chart renders require, beyond what
# kubernetes-validate knows (it has no CRD schemas). External Secrets Operator v1
# (apis/externalsecrets/v1): a SecretStore's provider has exactly one key
# (MinProperties/MaxProperties 1); AWSProvider's `service` and `region` have no
# `+optional`, so the CRD requires them; an ExternalSecret's refreshInterval is a string.
def claim_errors(obj):
    """A claim without a storage request: beyond the OpenAPI schema (which kubernetes-validate
    and mlc's schema check both read), the API server's validation of a claim requires one
    (ValidatePersistentVolumeClaimSpec)."""
    if obj.get("kind") != "PersistentVolumeClaim":
        return []
    spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else {}
    requests = ((spec.get("resources") or {}).get("requests") or {})
    if requests.get("storage") in (None, ""):
        return ["spec.resources.requests.storage is required"]
    return []


def go_format_errors(value, path=""):
    """Strings in which Go's fmt printed a missing value (`%!s(<nil>)`): not what anyone meant."""
    if isinstance(value, dict):
        return [e for k, v in value.items() for e in go_format_errors(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [e for i, v in enumerate(value) for e in go_format_errors(v, f"{path}[{i}]")]
    if isinstance(value, str) and "%!" in value:
        return [f"{path}: {value!r} (a template printed a missing value)"]
    return []


def null_items(value, path=""):
    """Null entries of lists: Go decodes them as zero values (`""`, an empty container),
    which the API server rejects, unlike a null field, which it reads as left out."""
    if isinstance(value, dict):
        return [e for k, v in value.items() for e in null_items(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [f"{path}[{i}] is null" if v is None else e
                for i, v in enumerate(value) for e in ([None] if v is None else null_items(v, f"{path}[{i}]"))]
    return []


def invalid_objects(objects, mlc):
    """The Helm objects the Kubernetes API server would reject, with why. Built-in kinds are
    validated by kubernetes-validate; the custom resources it has no schema for
    (SecretStore, ExternalSecret, ServiceMonitor, ...) by mlc's own check of the CRD types
    (`Mlc.schema_errors`), so that the rules of the CRDs (exactly one provider, `aws` needs
    `region`, a duration string) are written once, in crds/."""
    import kubernetes_validate

    found = []  # the findings of each object, in the objects' order
    custom = []  # (index, object) of the custom resources
    for i, obj in enumerate(objects):
        found.append([f"{key(obj)}: {e}" for e in claim_errors(obj) + go_format_errors(obj) + null_items(obj)])
        if not obj.get("apiVersion"):
            found[i].append(f"{key(obj)}: apiVersion is missing")
            continue
        try:
            # The API server reads a null field as left out: a required one is then missing
            # (kubernetes-validate's schemas take null for every field).
            kubernetes_validate.validate(without_nulls(obj), "1.33.0", strict=True)
        except kubernetes_validate.SchemaNotFoundError:
            custom.append((i, obj))
        except kubernetes_validate.ValidationError as error:
            found[i].append(f"{key(obj)}: {error.message} at {'.'.join(map(str, error.path))}")
        except Exception as error:  # a value the validator cannot even read
            found[i].append(f"{key(obj)}: {error}")
    unplaced = []
    for j, message in mlc.schema_errors([obj for _, obj in custom]):
        if j is None:
            unplaced.append(message)
        else:
            i, obj = custom[j]
            found[i].append(f"{key(obj)}: {message}")
    return [e for errors in found for e in errors] + unplaced


def classify(helm_result, mlc_result, namespace, mlc):
    """`(class, details)`; details are the first differing paths or the messages."""
    helm_ok = helm_result[0] == "ok"
    mlc_ok = mlc_result[0] == "ok"
    if not helm_ok:
        if not mlc_ok:
            return "both-fail", [helm_result[1]]
        return "mismatch", [f"helm fails: {helm_result[1]}", "mlc builds"]
    if not mlc_ok:
        message = mlc_result[1]
        if OWN_CHECK_ERROR.search(message):
            return "own-check", [first_error(message)]
        if NAME_RULE_ERROR.search(message):
            return "helm-invalid", ["the API server rejects the name", first_error(message)]
        invalid = invalid_objects(helm_result[1], mlc)
        if invalid:
            return "helm-invalid", invalid + [first_error(message)]
        return "mismatch", [f"helm renders, mlc fails: {first_error(message)}", message]
    ours = normalise(mlc_result[1], namespace, helm_side=False)
    theirs = normalise(helm_result[1], namespace, helm_side=True)
    found = []
    for k in sorted(set(ours) | set(theirs)):
        if k not in ours:
            found.append(f"{k}: helm renders it, mlc does not")
        elif k not in theirs:
            found.append(f"{k}: mlc renders it, helm does not")
        else:
            found += [f"{k}{d}" for d in differences(theirs[k], ours[k])]
    if not found:
        return "match", []
    invalid = invalid_objects(helm_result[1], mlc)
    if invalid:
        return "helm-invalid", invalid + found
    return "mismatch", found


def first_error(message):
    """The first error of mlc's output, with the source line it points at."""
    lines = message.splitlines()
    for i, line in enumerate(lines):
        line = re.sub(r"^mlc \w+: ", "", line)
        if line.startswith("error") and not line.startswith("error: could not continue"):
            # The option's declaration in the stdlib names the rule that failed, else the
            # user's line.
            window = lines[i + 1:i + 16]
            stdlib = [j for j, s in enumerate(window) if "<stdlib>" in s]
            source = [s for s in window[stdlib[0]:] if re.match(r"^\s*\d+ │", s)] if stdlib else []
            source = source or [s for s in window if re.match(r"^\s*\d+ │", s)]
            where = re.sub(r"^\s*\d+ │\s*", "", source[0]) if source else ""
            return f"{line} at {where}"
    return lines[0] if lines else ""


def signature(details):
    """What makes two mismatches the same: the first difference, without indices and values."""
    if not details:
        return ""
    first = details[0]
    first = re.sub(r"`[^`]*`|\"[^\"]*\"", "_", first)
    first = re.sub(r"\[\d+\]", "[]", first)
    first = re.sub(r": (helm|mlc) .*", "", first)
    first = re.sub(r"^[A-Za-z]+/[^.:]*", lambda m: m.group(0).split("/")[0], first)
    return first


def case_values(seed, index):
    rng = random.Random(f"{seed}:{index}")
    return generate.values(rng)


def dump(values):
    return yaml.safe_dump(values, sort_keys=False, default_flow_style=False, width=1000)


class Runner:
    def __init__(self, helm, mlc, jobs):
        self.helm = helm
        self.mlc = mlc
        self.pool = concurrent.futures.ThreadPoolExecutor(max_workers=jobs)
        self.counter = 0

    def run_many(self, cases):
        """cases: list of (release, namespace, values); returns list of (class, details)."""
        texts = [dump(values) for _, _, values in cases]
        helm_results = [self.helm.render(r, ns, t) for (r, ns, _), t in zip(cases, texts)]
        futures = []
        for (release, namespace, _), text in zip(cases, texts):
            self.counter += 1
            futures.append(self.pool.submit(self.mlc.run, self.counter, release, namespace, text))
        return [
            classify(h, f.result(), namespace, self.mlc)
            for h, f, (_, namespace, _) in zip(helm_results, futures, cases)
        ]

    def run_one(self, release, namespace, values):
        return self.run_many([(release, namespace, values)])[0]


def subtrees(tree):
    """Every smaller values tree one step away: a key or list entry removed."""
    if isinstance(tree, dict):
        for k in list(tree):
            smaller = dict(tree)
            del smaller[k]
            yield smaller
        for k, v in tree.items():
            for child in subtrees(v):
                smaller = dict(tree)
                smaller[k] = child
                yield smaller
    elif isinstance(tree, list):
        for i in range(len(tree)):
            yield tree[:i] + tree[i + 1:]
        for i, v in enumerate(tree):
            for child in subtrees(v):
                yield tree[:i] + [child] + tree[i + 1:]


def shrink(runner, release, namespace, values, wanted, budget=400):
    """The smallest values (by removing options) that still fail with signature `wanted`."""
    tries = 0
    changed = True
    while changed and tries < budget:
        changed = False
        for smaller in subtrees(values):
            tries += 1
            outcome, details = runner.run_one(release, namespace, smaller)
            if outcome == "mismatch" and signature(details) == wanted:
                values = smaller
                changed = True
                break
            if tries >= budget:
                break
    return values


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    here = Path(__file__).resolve().parent
    root = here.parent.parent
    p.add_argument("--cases", type=int, default=1000)
    p.add_argument("--seed", default=str(FIXED_SEED))
    p.add_argument("--random-seed", action="store_true", help="use a fresh random seed (printed)")
    p.add_argument("--case", type=int, help="run only this case of the seed, and print it")
    p.add_argument("--first", type=int, default=0, help="start at this case of the seed")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--chart", default=str(Path(os.environ.get("MLC_SHARED", root.parent / "shared")) / "mlflow-chart"))
    p.add_argument("--mlc", default=os.environ.get("MLC", str(root / "target" / "debug" / "mlc")))
    p.add_argument("--stdlib", help="build against this stdlib directory instead of the embedded one")
    p.add_argument("--keep", help="write the case files (the last case of each worker) in this directory and keep them")
    p.add_argument("--progress", type=int, default=0, help="print the counts every N cases")
    p.add_argument("--show", type=int, default=5, help="how many kinds of mismatch to shrink and print")
    p.add_argument("--waived", action="store_true",
                   help="build with mlc's own checks allowed (`--allow CODE`): every case must then match")
    a = p.parse_args(argv)
    if a.waived:
        ALLOW.extend(OWN_CHECKS)

    seed = str(random.SystemRandom().randrange(10**9)) if a.random_seed else a.seed
    with open(Path(a.chart) / "values.yaml") as f:
        generate.check_coverage(yaml.safe_load(f))
    workdir = a.keep or tempfile.mkdtemp(prefix="helm-diff-")
    os.makedirs(workdir, exist_ok=True)
    try:
        return run(a, seed, workdir)
    finally:
        if not a.keep:
            shutil.rmtree(workdir, ignore_errors=True)


def run(a, seed, workdir):
    helm = Helm(a.chart)
    runner = Runner(helm, Mlc(a.mlc, a.stdlib and str(Path(a.stdlib).resolve()), workdir), a.jobs)

    if a.case is not None:
        release, namespace, values = case_values(seed, a.case)
        outcome, details = runner.run_one(release, namespace, values)
        print(f"# seed {seed} case {a.case}: release {release}, namespace {namespace}: {outcome}")
        print(dump(values))
        print("\n".join(details))
        return 0 if outcome != "mismatch" else 1

    print(f"helm-diff: {a.cases} cases from seed {seed} (replay one: --seed {seed} --case I)")
    started = time.perf_counter()
    counts = {}
    mismatches = {}
    fails = {}
    batch = 50
    for start in range(a.first, a.first + a.cases, batch):
        indices = range(start, min(start + batch, a.first + a.cases))
        cases = [case_values(seed, i) for i in indices]
        for i, case, (outcome, details) in zip(indices, cases, runner.run_many(cases)):
            counts[outcome] = counts.get(outcome, 0) + 1
            if outcome in ("both-fail", "helm-invalid"):
                # The kind without the object's name, then at most 160 characters: one rule
                # is counted once, whatever the release is called.
                reason = re.sub(r"^[A-Za-z]+/[^:]*", lambda m: m.group(0).split("/")[0], details[0])
                reason = re.sub(r"\d+", "N", " ".join(reason.split()))[:160]
                fails[(outcome, reason)] = fails.get((outcome, reason), 0) + 1
            if outcome == "mismatch":
                mismatches.setdefault(signature(details), []).append((i, case, details))
        done = indices[-1] + 1 - a.first
        if a.progress and done % a.progress == 0:
            so_far = ", ".join(f"{n} {c}" for c, n in sorted(counts.items()))
            print(f"helm-diff: {done} cases: {so_far}", flush=True)
    elapsed = time.perf_counter() - started
    summary = ", ".join(f"{n} {c}" for c, n in sorted(counts.items()))
    print(f"helm-diff: seed {seed}: {summary} ({elapsed:.0f} s)")
    if "own-check" in counts:
        print(f"helm-diff: {counts['own-check']} cases refused on purpose by mlc's own checks "
              "(compared with the checks allowed by the `--waived` run)")
    for (outcome, reason), n in sorted(fails.items(), key=lambda kv: -kv[1]):
        print(f"helm-diff: {outcome} {n} times: {reason}")
    for n, (sig, found) in enumerate(sorted(mismatches.items(), key=lambda kv: -len(kv[1]))):
        i, (release, namespace, values), details = found[0]
        print(f"\n=== mismatch {sig!r}: {len(found)} cases, first: --seed {seed} --case {i}")
        if n < a.show:
            values = shrink(runner, release, namespace, values, sig)
            _, details = runner.run_one(release, namespace, values)
            print(f"# shrunk values file (release {release}, namespace {namespace}):")
            print(dump(values).rstrip())
        print("# first differences:")
        print("\n".join(details[:8]))
    if a.waived and counts.get("own-check"):
        # With every own check allowed, a refusal left is one `--allow` cannot lift.
        print(f"helm-diff: FAILED: {counts['own-check']} cases still refused with the checks allowed")
        return 1
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main(sys.argv[1:]))
