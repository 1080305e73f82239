using VolumeMesh.IO;
using VolumeMesh.Meshing;
using VolumeMesh.Tests.Support;

namespace VolumeMesh.Tests.Labels;

/// <summary>A DICOM SEG as the input of <c>mesh --labels</c>: read onto the CT series it segments and meshed per segment,
/// landing where the same label map given as NIfTI (written by nibabel, tests/VolumeMesh.Dicom.Tests/tools/make_seg.py) lands.</summary>
public sealed class DicomSegCliTests
{
    private static string Seg(string name) =>
        Path.Combine(RepoPaths.Root ?? throw new InvalidOperationException("repository root not found"), "tests", "VolumeMesh.Dicom.Tests", "Data", "Seg", name);

    [Fact]
    public void ASegMeshesPerSegmentWhereTheSameLabelMapAsNiftiMeshes()
    {
        using var temp = new TempFolder();
        (int segCode, _, string segError) = CliRunner.Run(
            "mesh", Seg(Path.Combine("even-ct", "even-seg-binary.dcm")), "--labels", "all", "--split", "-o", temp.File("seg"), "--device", "cpu");
        Assert.True(segCode == 0, segError);
        Assert.Contains("Loaded DICOM SEG", segError);
        (int niftiCode, _, string niftiError) = CliRunner.Run(
            "mesh", Seg("even-ct-labels.nii.gz"), "--labels", "all", "--split", "-o", temp.File("nifti"), "--device", "cpu");
        Assert.True(niftiCode == 0, niftiError);

        string[] segFiles = Directory.GetFiles(temp.File("seg"), "*.stl");
        Array.Sort(segFiles, StringComparer.Ordinal);
        Assert.True(segFiles.Length >= 2, $"one part per segment expected: {string.Join(", ", segFiles)}");
        foreach (string segFile in segFiles)
        {
            // Parts are named <segment number>_<segment label>; the NIfTI's have no table: <id>_label_<id>.
            string id = Path.GetFileName(segFile).Split('_')[0];
            string niftiFile = Path.Combine(temp.File("nifti"), $"{id}_label_{id}.stl");
            Assert.True(File.Exists(niftiFile), $"{niftiFile} missing beside {segFile}");
            Mesh fromSeg = StlReader.Read(segFile).Mesh;
            Mesh fromNifti = StlReader.Read(niftiFile).Mesh;
            Assert.True(MeshReport.Compute(fromSeg).IsWatertight);
            Assert.Equal(fromNifti.Indices, fromSeg.Indices);
            Assert.Equal(fromNifti.VertexCount, fromSeg.VertexCount);
            for (int v = 0; v < fromSeg.VertexCount; v++)
            {
                // The NIfTI affine is float32; the SEG lands on the CT's double-precision geometry.
                Assert.True((fromSeg.Vertices[v] - fromNifti.Vertices[v]).Length() < 1e-3f, $"vertex {v}: {fromSeg.Vertices[v]} vs {fromNifti.Vertices[v]}");
            }
        }
    }

    [Fact]
    public void ASegIsNamedAndColouredBySegmentAndItsReferenceCanBeGiven()
    {
        using var temp = new TempFolder();
        string output = temp.File("model.stl");
        (int code, _, string stderr) = CliRunner.Run(
            "mesh", Seg("ge-binary.dcm"), "--labels", "all", "--reference", Path.Combine(RepoPaths.Root!, "samples", "ge-head-tilt-jpegll"),
            "-o", output, "--device", "cpu");
        Assert.True(code == 0, stderr);
        string[] parts = Directory.GetFiles(temp.Path, "model_*.stl");
        Assert.Equal(2, parts.Length);
        foreach (string part in parts)
        {
            Assert.True(MeshReport.Compute(StlReader.Read(part).Mesh).IsWatertight, part);
        }

        // Without --reference the SEG's own folder is searched: it holds no CT, so the run fails naming the SEG.
        (int missing, _, string missingError) = CliRunner.Run("mesh", Seg("ge-binary.dcm"), "--labels", "all", "-o", temp.File("x.stl"));
        Assert.NotEqual(0, missing);
        Assert.Contains("ge-binary.dcm", missingError);
        Assert.Equal(2, CliRunner.Run("mesh", LabelMapData.File("ras_sform.nii"), "--labels", "all", "--reference", temp.Path, "-o", temp.File("y.stl")).Code);
    }
}
