using System.Diagnostics;
using System.Globalization;
using System.Text;
using ILGPU;
using ILGPU.Runtime;
using VolumeMesh.Compute;
using VolumeMesh.Compute.Kernels;
using VolumeMesh.Meshing;
using VolumeMesh.Segmentation;
using VolumeMesh.Volumes;

namespace VolumeMesh.Benchmarks;

/// <summary>
/// <c>gpu-check</c>: equality of the ILGPU engine with the managed engine and timings, on every ILGPU device asked for.
/// </summary>
/// <remarks>
/// <code>
/// gpu-check [--device all|cuda|opencl|ilgpu-cpu|cuda:N|opencl:N] [--size small|full] [--repeat N] [--out FILE]
/// </code>
/// <c>full</c>: the 512×512×400 int16 CT phantom (iso 300 and 1200) and a 512³ int16 gyroid (iso 0); <c>small</c>
/// (the default on ILGPU's CPU accelerator): 48×44×40 and 40³. For each device: equality with the managed engine
/// (one slab and forced slabs), marching cubes on the device alone (volume already resident; Gvoxel/s), host to host
/// (upload, mesh, download), the split of a host-to-host run, copy bandwidth host↔device and device↔device, and the
/// bandwidth floors (bytes that must move over the measured bandwidth). Exit code 1 when any check fails.
/// </remarks>
public static class GpuCheck
{
    public static int Run(string[] args)
    {
        string deviceArg = Option(args, "--device") ?? "all";
        string? size = Option(args, "--size");
        int repeat = int.Parse(Option(args, "--repeat") ?? "10", CultureInfo.InvariantCulture);
        string? outFile = Option(args, "--out");
        var report = new Report();

        report.Line($"# gpu-check, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        report.Line($"Host: {Environment.ProcessorCount} threads, {Environment.OSVersion}, .NET {Environment.Version}");
        report.Line("Devices:");
        foreach (ComputeDevice d in ComputeDevices.List())
        {
            report.Line($"  {d}");
        }

        var devices = new List<ComputeDevice>();
        if (deviceArg == "all")
        {
            devices.AddRange(ComputeDevices.List().Where(d => d.Kind is ComputeDeviceKind.Cuda or ComputeDeviceKind.OpenCL));
            if (!devices.Any(d => d.IsSupported))
            {
                devices.Add(ComputeDevices.Get("ilgpu-cpu"));
            }
        }
        else
        {
            try
            {
                devices.Add(ComputeDevices.Get(deviceArg));
            }
            catch (ComputeDeviceException ex)
            {
                report.Line($"FAIL: {ex.Message}");
                report.Save(outFile);
                return 1;
            }
        }

        bool ok = true;
        foreach (ComputeDevice device in devices)
        {
            bool full = size == "full" || (size is null && device.Kind != ComputeDeviceKind.IlgpuCpu);
            try
            {
                ok &= CheckDevice(device, full, repeat, report);
            }
            catch (Exception ex) when (!device.IsSupported)
            {
                // An OpenCL driver ILGPU does not accept is recorded, not counted against the CUDA results.
                report.Line($"NOT ACCEPTED by ILGPU: {device.Id} ({device.Name}) [{device.Limitation}]: {ex.GetType().Name}: {ex.Message}");
            }
            catch (Exception ex)
            {
                report.Line($"FAIL on {device.Id} ({device.Name}): {ex.GetType().Name}: {ex.Message}");
                ok = false;
            }
        }

        report.Line(ok ? "RESULT: all checks passed" : "RESULT: some checks FAILED");
        report.Save(outFile);
        return ok ? 0 : 1;
    }

    private static bool CheckDevice(ComputeDevice device, bool full, int repeat, Report report)
    {
        report.Line();
        report.Line($"## {device.Id}: {device.Name} ({device.MemoryBytes / (1024.0 * 1024 * 1024):F1} GiB), {(full ? "full" : "small")} size");
        var clock = Stopwatch.StartNew();
        var engine = new GpuMarchingCubes(device);
        engine.Warm();
        report.Line($"Device start: {clock.Elapsed.TotalMilliseconds:F0} ms");

        // The benchmark CT phantom (Phantoms.CtPhantom, seed 1, as the CPU benchmarks and the peers use) and an int16 gyroid.
        Volume<short> phantom = full ? Phantoms.CtPhantom(512, 400, 1) : Phantoms.CtPhantom(48, 40, 1);
        Volume<short> gyroid = full ? SyntheticVolumes.Gyroid(512, 512, 512) : SyntheticVolumes.Gyroid(40, 40, 40, 16);
        HuRange bone = ThresholdPresets.Bone;
        Rates rates = Bandwidth(device, full, repeat, report);
        bool ok = true;
        ok &= Case(device, engine, "CT phantom, bone range 226..3071", phantom, bone.Low, bone.High, full, repeat, rates, report);
        ok &= Case(device, engine, "CT phantom, iso 300", phantom, 300, double.PositiveInfinity, full, Math.Max(1, repeat / 2), rates, report);
        ok &= Case(device, engine, "gyroid, iso 0", gyroid, 0, double.PositiveInfinity, full, repeat, rates, report);
        return ok;
    }

    /// <summary>Meshes [low, high] (high = +∞: iso low) with the managed engine and on the device, compares and times.</summary>
    private static bool Case(ComputeDevice device, GpuMarchingCubes engine, string name, Volume<short> volume, double low, double high, bool full, int repeat, Rates rates, Report report)
    {
        bool iso = double.IsPositiveInfinity(high);
        long voxels = volume.Geometry.VoxelCount;
        report.Line();
        report.Line($"### {name}: {volume.SizeX}×{volume.SizeY}×{volume.SizeZ} int16 ({voxels * 2 / 1e6:F1} MB)");
        Func<IMarchingCubesEngine, Mesh> mesh = e => iso ? e.FromIso(volume, low) : e.FromRange(volume, low, high);

        // Oracle: the managed engine.
        var clock = Stopwatch.StartNew();
        Mesh expected = mesh(ManagedMarchingCubesEngine.Instance);
        var managedTimes = new List<double> { clock.Elapsed.TotalMilliseconds };
        for (int i = 0; i < Math.Min(3, repeat) - 1; i++)
        {
            clock.Restart();
            mesh(ManagedMarchingCubesEngine.Instance);
            managedTimes.Add(clock.Elapsed.TotalMilliseconds);
        }

        report.Line($"Managed CPU ({Environment.ProcessorCount} threads): median {Median(managedTimes):F1} ms, {expected.VertexCount:N0} vertices, {expected.TriangleCount:N0} triangles");

        // Equality: slabs as planned from the budget, forced slabs, and both scans.
        IlgpuBackend backend = IlgpuBackend.For(device);
        bool ok = Compare(expected, mesh(engine), $"{device.Id} equality (default plan: {engine.PlanSlabPlanes(volume.Geometry, 2)} cell planes per slab, {(backend.UseLibraryScan ? "ILGPU.Algorithms scan" : "tiled scan")})", report);
        int forced = full ? 61 : 7;
        var slabbed = new GpuMarchingCubes(device, new GpuMarchingCubesOptions { SlabPlanes = forced });
        ok &= Compare(expected, mesh(slabbed), $"{device.Id} equality ({forced} planes per slab)", report);
        if (full || device.Kind != ComputeDeviceKind.IlgpuCpu)
        {
            lock (backend.Gate)
            {
                using ScopedAcceleratorBinding binding = backend.Bind();
                backend.UseLibraryScan = !backend.UseLibraryScan;
                try
                {
                    ok &= Compare(expected, mesh(engine), $"{device.Id} equality ({(backend.UseLibraryScan ? "ILGPU.Algorithms scan" : "tiled scan")})", report);
                    double otherScanMs = Resident(device, volume, low, high, repeat, out _, out _);
                    report.Line($"  on device with this scan: median {otherScanMs:F2} ms");
                }
                finally
                {
                    backend.UseLibraryScan = !backend.UseLibraryScan;
                }
            }
        }

        // Host to host, warm.
        var hostTimes = new List<double>();
        for (int i = 0; i < repeat; i++)
        {
            clock.Restart();
            mesh(engine);
            hostTimes.Add(clock.Elapsed.TotalMilliseconds);
        }

        double hostMs = Median(hostTimes);
        report.Line($"Host to host: median {hostMs:F2} ms (min {hostTimes.Min():F2}), {voxels / hostMs / 1e6:F2} Gvoxel/s");

        if (full)
        {
            // Several slabs overlap the next slab's upload with this slab's kernels; is that faster than one slab?
            int planes = volume.SizeZ + 1;
            foreach (int parts in new[] { 2, 4, 8 })
            {
                var sliced = new GpuMarchingCubes(device, new GpuMarchingCubesOptions { SlabPlanes = (planes + parts - 1) / parts });
                mesh(sliced);
                var times = new List<double>();
                for (int i = 0; i < Math.Max(3, repeat / 2); i++)
                {
                    clock.Restart();
                    mesh(sliced);
                    times.Add(clock.Elapsed.TotalMilliseconds);
                }

                report.Line($"  host to host in {parts} pipelined slabs: median {Median(times):F2} ms");
            }
        }

        var statistics = new GpuRunStatistics();
        engine.Measure(volume, low, high, statistics);
        report.Line($"  split (synchronised, one run): upload {statistics.UploadMs:F2} ms, compute {statistics.ComputeMs:F2} ms, download {statistics.DownloadMs:F2} ms, {statistics.Slabs} slab(s)");

        // On the device alone: the volume resident, output left on the device.
        double deviceMs = Resident(device, volume, low, high, repeat, out long vertices, out long triangles);
        if (vertices != expected.VertexCount || triangles != expected.TriangleCount)
        {
            report.Line($"FAIL: resident run gave {vertices} vertices, {triangles} triangles");
            ok = false;
        }

        report.Line($"On device (resident): median {deviceMs:F2} ms, {voxels / deviceMs / 1e6:F2} Gvoxel/s");
        long outputBytes = (expected.VertexCount * 12L) + (expected.TriangleCount * 12L);
        long inputBytes = voxels * 2;
        report.Line($"  bytes: volume {inputBytes / 1e6:F1} MB in, mesh {outputBytes / 1e6:F1} MB out (12 B per vertex, 12 B per triangle)");
        report.Line($"  floors: on device (read the volume once, write the mesh, at {rates.DeviceGBs:F0} GB/s) {(inputBytes + outputBytes) / rates.DeviceGBs / 1e6:F3} ms; " +
            $"host to host (upload at {rates.UploadGBs:F1} GB/s + download at {rates.DownloadGBs:F1} GB/s) {((inputBytes / rates.UploadGBs) + (outputBytes / rates.DownloadGBs)) / 1e6:F2} ms");
        return ok;
    }

    private static double Resident(ComputeDevice device, Volume<short> volume, double low, double high, int repeat, out long vertices, out long triangles)
    {
        IlgpuBackend backend = IlgpuBackend.For(device);
        var engine = new GpuMarchingCubes(device);
        int planes = engine.PlanSlabPlanes(volume.Geometry, 2);
        InsideTest test = double.IsPositiveInfinity(high) ? InsideTest.Iso(Math.Ceiling(low), low) : InsideTest.Range(Math.Ceiling(low), Math.Floor(high), low, high);
        lock (backend.Gate)
        {
            using ScopedAcceleratorBinding binding = backend.Bind();
            using MemoryBuffer1D<short, Stride1D.Dense> resident = backend.Accelerator.Allocate1D(volume.Voxels);
            var run = new SlabRun<short, Int16Reader>(backend, volume.Geometry, test, planes, null);
            (vertices, triangles) = run.MeshResident(resident.View, default);
            var times = new List<double>();
            var clock = new Stopwatch();
            for (int i = 0; i < repeat; i++)
            {
                clock.Restart();
                run.MeshResident(resident.View, default);
                times.Add(clock.Elapsed.TotalMilliseconds);
            }

            return Median(times);
        }
    }

    private static Rates Bandwidth(ComputeDevice device, bool full, int repeat, Report report)
    {
        IlgpuBackend backend = IlgpuBackend.For(device);
        long bytes = full ? 256L << 20 : 4L << 20;
        var host = new byte[bytes];
        Random.Shared.NextBytes(host);
        report.Line();
        report.Line($"### Copy bandwidth ({bytes >> 20} MiB)");
        lock (backend.Gate)
        {
            using ScopedAcceleratorBinding binding = backend.Bind();
            Accelerator accelerator = backend.Accelerator;
            using MemoryBuffer1D<byte, Stride1D.Dense> a = accelerator.Allocate1D<byte>(bytes);
            using MemoryBuffer1D<byte, Stride1D.Dense> b = accelerator.Allocate1D<byte>(bytes);
            double h2d = Time(repeat, () => a.View.CopyFromCPU(host));
            double d2h = Time(repeat, () => a.View.CopyToCPU(host));
            double d2d = Time(repeat, () =>
            {
                a.View.CopyTo(b.View);
                accelerator.Synchronize();
            });
            report.Line($"Host→device (pageable): {bytes / h2d / 1e6:F2} GB/s; device→host: {bytes / d2h / 1e6:F2} GB/s; device→device: {2 * bytes / d2d / 1e6:F1} GB/s (read + write)");

            double pinnedH2d = double.NaN;
            double pinnedD2h = double.NaN;
            try
            {
                using PageLockedArray1D<byte> pinned = accelerator.AllocatePageLocked1D<byte>(bytes);
                pinnedH2d = Time(repeat, () =>
                {
                    a.View.CopyFromPageLockedAsync(accelerator.DefaultStream, pinned);
                    accelerator.Synchronize();
                });
                pinnedD2h = Time(repeat, () =>
                {
                    a.View.CopyToPageLockedAsync(accelerator.DefaultStream, pinned);
                    accelerator.Synchronize();
                });
                report.Line($"Host→device (page-locked): {bytes / pinnedH2d / 1e6:F2} GB/s; device→host (page-locked): {bytes / pinnedD2h / 1e6:F2} GB/s");
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                report.Line($"Page-locked copies not available: {ex.Message}");
            }

            return new Rates(
                2 * bytes / d2d / 1e6,
                bytes / Math.Min(h2d, double.IsNaN(pinnedH2d) ? h2d : pinnedH2d) / 1e6,
                bytes / Math.Min(d2h, double.IsNaN(pinnedD2h) ? d2h : pinnedD2h) / 1e6);
        }
    }

    private static double Time(int repeat, Action action)
    {
        action();
        var times = new List<double>();
        var clock = new Stopwatch();
        for (int i = 0; i < Math.Max(3, repeat); i++)
        {
            clock.Restart();
            action();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        return Median(times);
    }

    private static bool Compare(Mesh expected, Mesh actual, string what, Report report)
    {
        if (expected.VertexCount != actual.VertexCount || expected.TriangleCount != actual.TriangleCount)
        {
            report.Line($"FAIL {what}: {actual.VertexCount} vertices / {actual.TriangleCount} triangles, expected {expected.VertexCount} / {expected.TriangleCount}");
            return false;
        }

        int firstIndex = -1;
        for (int i = 0; i < expected.Indices.Length; i++)
        {
            if (expected.Indices[i] != actual.Indices[i])
            {
                firstIndex = i;
                break;
            }
        }

        double maxDiff = 0;
        int bitEqual = 0;
        for (int v = 0; v < expected.VertexCount; v++)
        {
            var d = expected.Vertices[v] - actual.Vertices[v];
            maxDiff = Math.Max(maxDiff, Math.Max(Math.Abs(d.X), Math.Max(Math.Abs(d.Y), Math.Abs(d.Z))));
            bitEqual += expected.Vertices[v] == actual.Vertices[v] ? 1 : 0;
        }

        bool ok = firstIndex < 0 && maxDiff <= 1e-3;
        report.Line($"{(ok ? "PASS" : "FAIL")} {what}: triangles {(firstIndex < 0 ? "identical" : $"differ from index {firstIndex}")}, " +
            $"max position difference {maxDiff:G3} mm, {bitEqual}/{expected.VertexCount} vertices bit-identical");
        return ok;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : 0.5 * (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]);
    }

    private static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>Measured copy rates in GB/s: device memory (read + write), best host→device, best device→host.</summary>
    private sealed record Rates(double DeviceGBs, double UploadGBs, double DownloadGBs);

    private sealed class Report
    {
        private readonly StringBuilder _text = new();

        public void Line(string text = "")
        {
            Console.WriteLine(text);
            _text.AppendLine(text);
        }

        public void Save(string? path)
        {
            if (path is not null)
            {
                File.WriteAllText(path, _text.ToString());
            }
        }
    }
}
