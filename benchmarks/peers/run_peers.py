"""One run, same machine, same inputs: VolumeMesh beside every peer installed from Debian, interleaved.

    /usr/bin/python3 benchmarks/peers/run_peers.py [--rounds 3] [--repeat 3] [--ct-slices 400] [--out FILE.md] [--quick]

Run from the repository root. Needs the .NET SDK and, for the peers (each group skips a peer that is missing, and says
so): python3-vtk9 python3-numpy python3-scipy python3-skimage python3-pydicom python3-gdcm python3-open3d
libmeshoptimizer-dev and a C compiler. `--quick` uses tiny inputs and one round: a dry run that proves the runner and
every harness still work (CI), not a measurement.

Every stage command prints one JSON line with its own median over --repeat runs after warm-up (the stage alone, input
loading excluded; the peers' scripts warm up with one run, ours until the JIT has compiled nothing for 0.5 s of runs,
at least two); the runner repeats every group --rounds times, interleaving ours and the peers in each round, and
quotes the median of the rounds. Whole-job rows time whole processes (.NET start-up included). Every decimation output
is checked by the independent checker (shared/peers/meshcheck.py: closed, non-manifold edges, shells) and measured
against its input with VTK's symmetric point-to-cell Hausdorff distance (shared/peers/decimate.py). Our .NET processes
run with DOTNET_TieredCompilation=0, as the volumemesh tool ships.
"""
import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PEERS = os.path.join(ROOT, "..", "shared", "peers")
HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON = "/usr/bin/python3"
BENCH_DLL = os.path.join(ROOT, "benchmarks/VolumeMesh.Benchmarks/bin/Release/net10.0/VolumeMesh.Benchmarks.dll")
CLI_DLL = os.path.join(ROOT, "src/VolumeMesh.Cli/bin/Release/net10.0/VolumeMesh.Cli.dll")
WORK = None
PHILIPS = os.path.join(ROOT, "..", "shared", "data", "dicom", "philips-phantom", "S21570", "S2030")


def run_json(cmd, timeout=3600):
    """Runs a command that prints one JSON line last; returns the parsed object, or None with the reason printed."""
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        print(f"  ! failed ({proc.returncode}): {' '.join(cmd)}\n    {proc.stderr.strip()[-400:]}", file=sys.stderr)
        return None
    return json.loads(lines[-1])


def run_wall(cmd, timeout=3600):
    """Runs a whole process; returns its wall seconds, or None when it fails."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        print(f"  ! failed ({proc.returncode}): {' '.join(cmd)}\n    {proc.stderr.strip()[-400:]}", file=sys.stderr)
        return None
    return seconds


def python_has(module):
    return subprocess.run([PYTHON, "-c", f"import {module}"], capture_output=True).returncode == 0


class Group:
    """Commands measured side by side: the first is ours, the ratio of each peer is peer time / our time."""

    def __init__(self, title, note=""):
        self.title, self.note, self.rows = title, note, []

    def add(self, name, cmd, whole_process=False, extra=None):
        self.rows.append({"name": name, "cmd": cmd, "whole": whole_process, "times": [], "last": None, "extra": extra or {}})

    def run_round(self):
        for row in self.rows:
            if row["whole"]:
                seconds = run_wall(row["cmd"])
                result = {"seconds": seconds} if seconds is not None else None
            else:
                result = run_json(row["cmd"])
            if result is not None and result.get("seconds") is not None:
                row["times"].append(result["seconds"])
                row["last"] = result

    def table(self):
        ours = self.rows[0]
        base = statistics.median(ours["times"]) if ours["times"] else None
        extra_keys = []
        for row in self.rows:
            for key in list((row["last"] or {}).keys()) + list(row["extra"].keys()):
                if key in ("triangles", "triangles_out", "components", "hausdorff_mm", "closed", "nonmanifold_edges", "shells", "degenerate") and key not in extra_keys:
                    extra_keys.append(key)
        lines = [f"### {self.title}", ""]
        if self.note:
            lines += [self.note, ""]
        lines.append("| | median s | ratio (peer / ours) |" + "".join(f" {key} |" for key in extra_keys))
        lines.append("|---|---:|---:|" + "---|" * len(extra_keys))
        for row in self.rows:
            if not row["times"]:
                lines.append(f"| {row['name']} | failed or missing | |" + " |" * len(extra_keys))
                continue
            median = statistics.median(row["times"])
            ratio = "—" if row is ours or base is None else f"{median / base:.2f}×"
            values = dict(row["last"] or {})
            values.update(row["extra"])
            cells = [fmt(values.get(key, "")) for key in extra_keys]
            lines.append(f"| {row['name']} | {median:.4f} | {ratio} |" + "".join(f" {cell} |" for cell in cells))
        lines.append("")
        lines.append("Commands: " + "; ".join(f"`{' '.join(shown(c) for c in r['cmd'])}`" for r in self.rows))
        lines.append("")
        return lines


def shown(arg):
    """A command argument as the table prints it: paths relative to the repository root, the work folder as $WORK."""
    if arg == PYTHON:
        return "python3"
    if WORK and arg.startswith(WORK + os.sep):
        return "$WORK/" + arg[len(WORK) + 1:]
    if os.path.isabs(arg):
        return os.path.relpath(arg, ROOT)
    return arg


def fmt(value):
    if isinstance(value, bool):
        return "yes" if value else "**no**"
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def check_mesh(path, reference):
    """Independent checks of a decimated mesh: meshcheck.py (closed, non-manifold, shells) and VTK Hausdorff to the input."""
    out = {}
    check = run_json([PYTHON, os.path.join(PEERS, "meshcheck.py"), path, "--json"])
    if check:
        out.update(closed=bool(check["closed"]), nonmanifold_edges=int(check["nonmanifold_edges"]), shells=int(check["shells"]),
                   degenerate=int(check["degenerate"]))
    code = ("import sys, json, vtk; sys.path.insert(0, sys.argv[3]); from decimate import hausdorff\n"
            "def read(p):\n r = vtk.vtkSTLReader(); r.SetFileName(p); r.Update(); c = vtk.vtkCleanPolyData(); "
            "c.SetInputConnection(r.GetOutputPort()); c.Update(); return c.GetOutput()\n"
            "print(json.dumps({'hausdorff_mm': hausdorff(read(sys.argv[1]), read(sys.argv[2]))}))")
    h = run_json([PYTHON, "-c", code, reference, path, PEERS])
    if h:
        out.update(hausdorff_mm=h["hausdorff_mm"])
    return out


def machine():
    model = "unknown CPU"
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
            if line.startswith("Model name:"):
                model = line.split(":", 1)[1].strip()
    except OSError:
        pass
    load = open("/proc/loadavg").read().split()[:3] if os.path.exists("/proc/loadavg") else ["?"]
    dotnet = subprocess.run(["dotnet", "--version"], capture_output=True, text=True).stdout.strip()
    return f"{model}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, .NET SDK {dotnet}, load average {' '.join(load)}"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--ct-slices", type=int, default=400)
    p.add_argument("--out", default=os.path.join(ROOT, "benchmarks", "results", "peers.md"))
    p.add_argument("--quick", action="store_true", help="tiny inputs, one round: proves the harnesses run (CI)")
    p.add_argument("--work", help="folder for inputs and outputs (default: a temporary folder)")
    a = p.parse_args()
    # Ours runs as the volumemesh tool ships (VolumeMesh.Cli.csproj): tiered compilation off, every method optimised
    # at first call. With tiering on, a stage timed after one warm-up partly runs quick-JIT code (the gyroid's marching
    # cubes measured 0.099 s that way, 0.052 s optimised). Only .NET processes read this variable.
    os.environ["DOTNET_TieredCompilation"] = "0"
    if a.quick:
        a.rounds, a.repeat, a.ct_slices = 1, 1, 24
    global WORK
    work = WORK = os.path.abspath(a.work or tempfile.mkdtemp(prefix="volumemesh-peers-"))
    os.makedirs(work, exist_ok=True)

    subprocess.run(["dotnet", "build", os.path.join(ROOT, "benchmarks/VolumeMesh.Benchmarks"), "-c", "Release", "--nologo", "-v", "q"], check=True)
    subprocess.run(["dotnet", "build", os.path.join(ROOT, "src/VolumeMesh.Cli"), "-c", "Release", "--nologo", "-v", "q"], check=True)
    bench = ["dotnet", BENCH_DLL, "stage"]
    cli = ["dotnet", CLI_DLL]
    started = datetime.datetime.now(datetime.timezone.utc)
    machine_before = machine()

    ct = os.path.join(work, "ct.nrrd")
    gyroid = os.path.join(work, "gyroid.nrrd")
    matrix = ["--matrix", "128"] if a.quick else []
    subprocess.run(cli + ["phantom", "--kind", "ct", "--size", str(a.ct_slices), *matrix, "--raw", "-o", ct], check=True, capture_output=True)
    subprocess.run(cli + ["phantom", "--kind", "gyroid", "--size", "48" if a.quick else "256", "--raw", "-o", gyroid], check=True, capture_output=True)
    # The quick dry run leaves out the real series: it proves the harnesses, and the series costs a minute per group.
    philips = PHILIPS if os.path.isdir(PHILIPS) and not a.quick else None
    have_vtk, have_skimage, have_scipy = python_has("vtk"), python_has("skimage"), python_has("scipy")
    have_pydicom, have_gdcm, have_open3d = python_has("pydicom"), python_has("gdcm"), python_has("open3d")
    meshopt = None
    if os.path.exists("/usr/include/meshoptimizer.h") and shutil.which("cc"):
        meshopt = os.path.join(work, "meshopt_simplify")
        subprocess.run(["cc", "-O2", "-o", meshopt, os.path.join(HERE, "meshopt_simplify.c"), "-lmeshoptimizer"], check=True)
    rep = ["--repeat", str(a.repeat)]
    missing = [name for name, ok in [("python3-vtk9", have_vtk), ("python3-skimage", have_skimage), ("python3-scipy", have_scipy),
                                     ("python3-pydicom", have_pydicom), ("python3-gdcm", have_gdcm), ("python3-open3d", have_open3d),
                                     ("libmeshoptimizer-dev", meshopt is not None), ("shared Philips series", philips is not None or a.quick)] if not ok]

    groups = []
    g = Group("Marching cubes: gyroid (float, iso 0)", "Ours caps the surface at the volume border (closed); the VTK filters leave it open.")
    g.add("VolumeMesh managed MC", bench + ["mc", gyroid, "--iso", "0", *rep])
    if have_vtk:
        g.add("VTK vtkFlyingEdges3D", [PYTHON, os.path.join(PEERS, "mc.py"), gyroid, "--iso", "0", "--method", "flyingedges", *rep])
        g.add("VTK vtkMarchingCubes", [PYTHON, os.path.join(PEERS, "mc.py"), gyroid, "--iso", "0", "--method", "marchingcubes", *rep])
    if have_skimage:
        g.add("scikit-image marching_cubes", [PYTHON, os.path.join(PEERS, "mc.py"), gyroid, "--iso", "0", "--method", "skimage", *rep])
    groups.append(g)

    g = Group(f"Marching cubes: CT phantom ({a.ct_slices} slices, int16, bone)", "Ours meshes the range 226..3071 HU; the peers the iso value 226.")
    g.add("VolumeMesh managed MC", bench + ["mc", ct, "--threshold", "226:3071", *rep])
    if have_vtk:
        g.add("VTK vtkFlyingEdges3D", [PYTHON, os.path.join(PEERS, "mc.py"), ct, "--iso", "226", "--method", "flyingedges", *rep])
    groups.append(g)

    if philips:
        g = Group("Marching cubes: Philips bone series (real CT, iso 300)")
        g.add("VolumeMesh managed MC", bench + ["mc", philips, "--iso", "300", *rep])
        if have_vtk:
            g.add("VTK vtkFlyingEdges3D", [PYTHON, os.path.join(PEERS, "mc.py"), philips, "--iso", "300", "--method", "flyingedges", *rep])
        groups.append(g)

    for connectivity in ("26", "6"):
        g = Group(f"Connected components: CT phantom bone mask, {connectivity}-connected")
        g.add("VolumeMesh", bench + ["label", ct, "--threshold", "226:3071", "--connectivity", connectivity, *rep])
        if have_scipy:
            g.add("scipy.ndimage.label", [PYTHON, os.path.join(PEERS, "label.py"), ct, "--threshold", "226:3071", "--connectivity", connectivity, *rep])
        groups.append(g)

    if philips:
        g = Group("DICOM loading: Philips bone series (140 native slices)")
        g.add("VolumeMesh.Dicom", bench + ["dicomload", philips, *rep])
        if have_pydicom:
            g.add("pydicom + numpy", [PYTHON, os.path.join(PEERS, "dicomload.py"), philips, "--reader", "pydicom", *rep])
        if have_vtk:
            g.add("VTK vtkDICOMImageReader", [PYTHON, os.path.join(PEERS, "dicomload.py"), philips, "--reader", "vtk", *rep])
        if have_gdcm:
            g.add("GDCM (python3-gdcm)", [PYTHON, os.path.join(ROOT, "benchmarks/results/gdcmload.py"), philips, *rep])
        groups.append(g)

    # Decimation: every decimator on the same bone mesh, to the same triangle count; outputs checked independently.
    bone = os.path.join(work, "bone.stl")
    subprocess.run(bench + ["mc", ct, "--threshold", "226:3071", "--repeat", "1", "--out", bone], check=True, capture_output=True)
    dec = Group("Decimation to 10% (reduction 0.9): the CT phantom's bone mesh",
                "Hausdorff: VTK's symmetric point-to-cell distance to the input. Closed / non-manifold / shells: meshcheck.py.")
    outputs = {}

    def add_dec(name, cmd, out):
        outputs[name] = out
        dec.add(name, cmd + ["--out", out])

    add_dec("VolumeMesh MeshDecimator", bench + ["decimate", bone, "--reduction", "0.9", *rep], os.path.join(work, "ours.stl"))
    add_dec("VolumeMesh MeshDecimator, --max-error 0.5", bench + ["decimate", bone, "--reduction", "0.9", "--max-error", "0.5", *rep], os.path.join(work, "ours-bounded.stl"))
    if meshopt:
        add_dec("meshoptimizer meshopt_simplify", [meshopt, bone, "--reduction", "0.9", *rep], os.path.join(work, "meshopt.stl"))
        add_dec("meshoptimizer, border locked", [meshopt, bone, "--reduction", "0.9", "--lock-border", *rep], os.path.join(work, "meshopt-lock.stl"))
    if have_vtk:
        add_dec("VTK vtkQuadricDecimation", [PYTHON, os.path.join(PEERS, "decimate.py"), bone, "--reduction", "0.9", *rep], os.path.join(work, "vtk.stl"))
    if have_open3d:
        add_dec("Open3D simplify_quadric_decimation", [PYTHON, os.path.join(HERE, "open3d_decimate.py"), bone, "--reduction", "0.9", *rep], os.path.join(work, "open3d.stl"))
    groups.append(dec)

    if philips:
        g = Group("Whole job, whole processes: Philips DICOM → largest bone → decimate 0.9 → STL",
                  ".NET start-up and Python start-up included; one process per run.")
        # The tool published ReadyToRun (README "Headless pipelines": precompiled code, so the process spends its
        # first second computing instead of compiling) is the row the others are compared with; then the tool as built.
        rid = {"x86_64": "linux-x64", "aarch64": "linux-arm64"}.get(platform.machine())
        r2r = os.path.join(work, "cli-r2r")
        if rid and subprocess.run(["dotnet", "publish", os.path.join(ROOT, "src/VolumeMesh.Cli"), "-c", "Release", "-r", rid, "--self-contained", "false",
                                   "-p:PublishReadyToRun=true", "-o", r2r, "--nologo", "-v", "q"]).returncode == 0:
            g.add("volumemesh mesh, published ReadyToRun", [os.path.join(r2r, "VolumeMesh.Cli"), "mesh", philips, "-o", os.path.join(work, "job-r2r.stl"),
                                                            "--keep", "largest", "--decimate", "0.9"], whole_process=True)
        else:
            print("  ! no ReadyToRun publish for this machine: that row is left out", file=sys.stderr)
        g.add("volumemesh mesh (dotnet VolumeMesh.Cli.dll, as built)", cli + ["mesh", philips, "-o", os.path.join(work, "job.stl"), "--keep", "largest", "--decimate", "0.9"],
              whole_process=True)
        if have_vtk:
            g.add("VTK pipeline (pipeline_vtk.py)", [PYTHON, os.path.join(PEERS, "pipeline_vtk.py"), philips, "--threshold", "226:3071",
                                                      "-o", os.path.join(work, "job-vtk.stl"), "--keep-largest", "--decimate", "0.9"], whole_process=True)
        groups.append(g)

    for round_index in range(a.rounds):
        print(f"round {round_index + 1} of {a.rounds}", file=sys.stderr)
        for group in groups:
            group.run_round()

    for row in dec.rows:
        out = outputs[row["name"]]
        if os.path.exists(out):
            row["extra"].update(check_mesh(out, bone))

    lines = ["# Peers side by side (benchmarks/peers/run_peers.py)", "",
             f"Date: {started:%Y-%m-%d %H:%M} UTC. Machine: {machine_before}; after the run: load average "
             f"{' '.join(open('/proc/loadavg').read().split()[:3]) if os.path.exists('/proc/loadavg') else '?'}.",
             f"Rounds: {a.rounds} (interleaved), each stage command's own median of {a.repeat} runs after warm-up (peers: one run; ours: until nothing more is compiled); the table quotes the median of the rounds."
             + (" **Quick dry run on tiny inputs: not a measurement.**" if a.quick else ""), ""]
    if missing:
        lines += ["Not measured (missing here): " + ", ".join(missing) + ".", ""]
    for group in groups:
        lines += group.table()
    text = "\n".join(lines) + "\n"
    print(text)
    if a.out and a.out != "-":
        os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
        with open(a.out, "w") as f:
            f.write(text)
        print(f"written to {a.out}", file=sys.stderr)
    failed = [row["name"] for group in groups for row in group.rows if not row["times"]]
    if failed:
        print("failed: " + ", ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
