using System.Diagnostics;
using System.Globalization;
using System.Text;
using ILGPU;
using ILGPU.Runtime;
using VolumeMesh.Compute;
using VolumeMesh.Compute.Kernels;
using VolumeMesh.Meshing;
using VolumeMesh.Volumes;

namespace VolumeMesh.Benchmarks;

/// <summary>
/// <c>gpu-check</c>: equality of the ILGPU engine with the managed engine and timings, on every ILGPU device asked for.
/// </summary>
/// <remarks>
/// <code>
/// gpu-check [--device auto|cuda|opencl|ilgpu-cpu|all] [--size small|full] [--repeat N] [--out FILE]
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
            if (devices.Count == 0)
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
            catch (Exception ex)
            {
                // An OpenCL driver ILGPU does not accept is recorded, not fatal for the CUDA results.
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

        Volume<short> phantom = full ? SyntheticVolumes.CtPhantom(512, 512, 400) : SyntheticVolumes.CtPhantom(48, 44, 40);
        Volume<short> gyroid = full ? SyntheticVolumes.Gyroid(512, 512, 512) : SyntheticVolumes.Gyroid(40, 40, 40, 16);
        bool ok = true;
        ok &= Case(device, engine, "CT phantom", phantom, 300, full, repeat, report);
        ok &= Case(device, engine, "CT phantom", phantom, 1200, full, Math.Max(1, repeat / 2), report);
        ok &= Case(device, engine, "gyroid", gyroid, 0, full, repeat, report);
        Bandwidth(device, full, repeat, report);
        return ok;
    }

    private static bool Case(ComputeDevice device, GpuMarchingCubes engine, string name, Volume<short> volume, double iso, bool full, int repeat, Report report)
    {
        long voxels = volume.Geometry.VoxelCount;
        report.Line();
        report.Line($"### {name} {volume.SizeX}×{volume.SizeY}×{volume.SizeZ} int16, iso {iso} ({voxels * 2 / 1e6:F0} MB)");

        // Oracle: the managed engine.
        var clock = Stopwatch.StartNew();
        Mesh expected = MarchingCubes.FromIso(volume, iso);
        double managedMs = clock.Elapsed.TotalMilliseconds;
        var managedTimes = new List<double> { managedMs };
        for (int i = 0; i < Math.Min(3, repeat) - 1; i++)
        {
            clock.Restart();
            MarchingCubes.FromIso(volume, iso);
            managedTimes.Add(clock.Elapsed.TotalMilliseconds);
        }

        report.Line($"Managed CPU ({Environment.ProcessorCount} threads): median {Median(managedTimes):F1} ms, {expected.VertexCount:N0} vertices, {expected.TriangleCount:N0} triangles");

        // Equality, one slab (as planned from the budget) and forced slabs.
        Mesh actual = engine.FromIso(volume, iso);
        bool ok = Compare(expected, actual, $"{device.Id} equality (default slabs: {engine.PlanSlabPlanes(volume.Geometry, 2)} planes per slab)", report);
        int forced = full ? 61 : 7;
        var slabbed = new GpuMarchingCubes(device, new GpuMarchingCubesOptions { SlabPlanes = forced });
        ok &= Compare(expected, slabbed.FromIso(volume, iso), $"{device.Id} equality ({forced} planes per slab)", report);

        // Host to host, warm.
        var hostTimes = new List<double>();
        for (int i = 0; i < repeat; i++)
        {
            clock.Restart();
            engine.FromIso(volume, iso);
            hostTimes.Add(clock.Elapsed.TotalMilliseconds);
        }

        double hostMs = Median(hostTimes);
        report.Line($"Host to host: median {hostMs:F2} ms (min {hostTimes.Min():F2}), {voxels / hostMs / 1e6:F2} Gvoxel/s");

        var statistics = new GpuRunStatistics();
        engine.FromIso(volume, iso, statistics);
        report.Line($"  split (synchronised, one run): upload {statistics.UploadMs:F2} ms, compute {statistics.ComputeMs:F2} ms, download {statistics.DownloadMs:F2} ms, {statistics.Slabs} slab(s)");

        // On the device alone: the volume resident, output left on the device.
        double deviceMs = Resident(device, volume, iso, repeat, out long vertices, out long triangles);
        if (vertices != expected.VertexCount || triangles != expected.TriangleCount)
        {
            report.Line($"FAIL: resident run gave {vertices} vertices, {triangles} triangles");
            ok = false;
        }

        report.Line($"On device (resident): median {deviceMs:F2} ms, {voxels / deviceMs / 1e6:F2} Gvoxel/s");
        long outputBytes = (expected.VertexCount * 12L) + (expected.TriangleCount * 12L);
        report.Line($"  bytes: volume {voxels * 2 / 1e6:F1} MB in, mesh {outputBytes / 1e6:F1} MB out");
        return ok;
    }

    private static double Resident(ComputeDevice device, Volume<short> volume, double iso, int repeat, out long vertices, out long triangles)
    {
        IlgpuBackend backend = IlgpuBackend.For(device);
        var engine = new GpuMarchingCubes(device);
        int planes = engine.PlanSlabPlanes(volume.Geometry, 2);
        lock (backend.Gate)
        {
            using MemoryBuffer1D<short, Stride1D.Dense> resident = backend.Accelerator.Allocate1D(volume.Voxels);
            var run = new SlabRun<short, Int16Reader>(backend, volume.Geometry, InsideTest.Iso(Math.Ceiling(iso), iso), planes, null);
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

    private static void Bandwidth(ComputeDevice device, bool full, int repeat, Report report)
    {
        IlgpuBackend backend = IlgpuBackend.For(device);
        long bytes = full ? 256L << 20 : 4L << 20;
        var host = new byte[bytes];
        Random.Shared.NextBytes(host);
        report.Line();
        report.Line($"### Copy bandwidth ({bytes >> 20} MiB)");
        lock (backend.Gate)
        {
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

            double deviceGBs = 2 * bytes / d2d / 1e6;
            double h2dGBs = bytes / Math.Min(h2d, double.IsNaN(pinnedH2d) ? h2d : pinnedH2d) / 1e6;
            double d2hGBs = bytes / Math.Min(d2h, double.IsNaN(pinnedD2h) ? d2h : pinnedD2h) / 1e6;
            report.Line("Bandwidth floors (bytes that must move / measured bandwidth), using the best measured copy rates:");
            foreach ((string name, long voxels, double fraction) in full
                ? new[] { ("CT phantom 512×512×400", 512L * 512 * 400, 0.0), ("gyroid 512³", 512L * 512 * 512, 0.0) }
                : new[] { ("CT phantom 48×44×40", 48L * 44 * 40, 0.0), ("gyroid 40³", 40L * 40 * 40, 0.0) })
            {
                _ = fraction;
                double inBytes = voxels * 2;
                report.Line($"  {name}: read volume once on device {inBytes / deviceGBs / 1e6:F3} ms; upload {inBytes / h2dGBs / 1e6:F2} ms (+ mesh download at {d2hGBs:F1} GB/s: 12 B per vertex and per triangle)");
            }
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
