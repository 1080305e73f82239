using VolumeMesh.Components;
using VolumeMesh.IO;
using VolumeMesh.Meshing;
using VolumeMesh.Pipeline;
using VolumeMesh.Segmentation;
using VolumeMesh.Tests.Support;
using VolumeMesh.Volumes;

namespace VolumeMesh.Tests.Cli;

public sealed class PipelineTests
{
    [Fact]
    public void RangeAndIsoTogetherAreRejected()
    {
        var volume = PipelineVolume.FromInt16(Phantoms.CtPhantom(16, 4, 1));
        var options = new VolumeMeshPipelineOptions { Range = ThresholdPresets.Bone, Iso = 300 };
        Assert.Throws<ArgumentException>(() => VolumeMeshPipeline.Mesh(volume, options));
    }

    [Fact]
    public void UnsupportedOutputIsRejectedBeforeAnyWork()
    {
        using var folder = new TempFolder();
        var volume = PipelineVolume.FromInt16(Phantoms.CtPhantom(16, 4, 1));
        var error = Assert.Throws<NotSupportedException>(() => VolumeMeshPipeline.Run(volume, folder.File("model.vtk")));
        Assert.Contains(".vtk", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void NrrdTypesMapToInt16OrFloat()
    {
        using var folder = new TempFolder();
        NrrdWriter.Write(Phantoms.CtPhantom(16, 2, 1), folder.File("ct.nrrd"));
        NrrdWriter.Write(Phantoms.Gyroid(8), folder.File("g.nrrd"));
        PipelineVolume ct = PipelineVolume.FromNrrd(NrrdReader.Read(folder.File("ct.nrrd")));
        PipelineVolume gyroid = PipelineVolume.FromNrrd(NrrdReader.Read(folder.File("g.nrrd")));
        Assert.NotNull(ct.Int16);
        Assert.Null(ct.Float);
        Assert.NotNull(gyroid.Float);
        Assert.Equal(8, gyroid.Geometry.SizeZ);
    }

    [Fact]
    public void PipelineMeshesTheDefaultBoneRangeAndWritesReport()
    {
        using var folder = new TempFolder();
        Volume<short> ct = Phantoms.CtPhantom(64, 20, 2);
        var progress = new List<PipelineProgress>();
        VolumeMeshResult result = VolumeMeshPipeline.Run(
            PipelineVolume.FromInt16(ct), folder.File("m.stl"), new VolumeMeshPipelineOptions { ReportPath = folder.File("r.json") },
            new SyncProgress(progress));
        Assert.Equal("threshold 226:3071", result.Inside);
        Assert.True(result.Report.IsWatertight);
        Assert.Equal(result.Mesh.TriangleCount, MeshReportJson.Deserialize(File.ReadAllText(folder.File("r.json"))).Triangles);
        Assert.Equal(MarchingCubes.FromRange(ct, 226, 3071).Indices, result.Mesh.Indices);
        Assert.Contains(progress, p => p.Stage == "write" && p.Fraction == 1);
    }

    [Fact]
    public void EveryRecordedStageStartsItsOwnProgressSoStageTimesDoNotLeakIntoTheStageBefore()
    {
        // The CLI times a stage from its first progress report to the next stage's: decimation's first own report comes
        // after its set-up and first pass, which were counted to "mesh" until every recorded stage reported its start.
        Volume<short> ct = Phantoms.CtPhantom(64, 20, 2);
        var progress = new List<PipelineProgress>();
        var options = new VolumeMeshPipelineOptions { Keep = ComponentSelection.LargestOnly, DecimateRatio = 0.5, Device = "cpu" };
        VolumeMeshResult result = VolumeMeshPipeline.Mesh(PipelineVolume.FromInt16(ct), options, new SyncProgress(progress));

        var firstReports = new List<PipelineProgress>();
        foreach (PipelineProgress p in progress)
        {
            if (firstReports.FindIndex(f => f.Stage == p.Stage) < 0)
            {
                firstReports.Add(p);
            }
        }

        var recorded = result.Stages.Select(s => s.Stage).ToList();
        Assert.Equal(["label", "select", "mesh", "decimate", "report"], recorded);
        Assert.Equal(recorded, firstReports.Select(f => f.Stage).Where(recorded.Contains));
        Assert.All(firstReports, f => Assert.Equal(0, f.Fraction));
    }

    private sealed class SyncProgress(List<PipelineProgress> list) : IProgress<PipelineProgress>
    {
        public void Report(PipelineProgress value)
        {
            lock (list)
            {
                list.Add(value);
            }
        }
    }
}
