using VolumeMesh.IO;
using VolumeMesh.Meshing;
using VolumeMesh.Tests.Support;

namespace VolumeMesh.Tests.Labels;

public sealed class LabelMapCliTests
{
    [Fact]
    public void SplitWritesOneNamedStlPerLabelAndReportsEach()
    {
        using var temp = new TempFolder();
        string folder = temp.File("parts");
        (int code, string stdout, string stderr) = CliRunner.Run(
            "mesh", LabelMapData.File("oblique_sform.nii.gz"), "--labels", "vertebra_L1,2,4", "--label-table", LabelMapData.File("labels.ctbl"),
            "--split", "-o", folder, "--json", "--device", "cpu");
        Assert.True(code == 0, stderr);
        Assert.Equal(["1_vertebra_L1.stl", "2_vertebra_L2.stl"], Directory.GetFiles(folder).Select(Path.GetFileName).Order());
        Assert.Contains("4 label_4: absent from the label map, not written", stderr);
        Assert.Contains("\"status\": \"absent\"", stdout);
        foreach (string file in Directory.GetFiles(folder))
        {
            MeshReport report = MeshReport.Compute(StlReader.Read(file).Mesh);
            Assert.True(report.IsWatertight, $"{file}: {report}");
            Assert.Contains($"{report.Triangles:N0} triangles", stderr);
        }
    }

    [Fact]
    public void WithoutSplitThePartsGoThroughTheMeshFileWriter()
    {
        using var temp = new TempFolder();
        string output = temp.File("model.stl");
        string report = temp.File("report.json");
        (int code, _, string stderr) = CliRunner.Run(
            "mesh", LabelMapData.File("labels.nrrd"), "--labels", "all", "--label-table", LabelMapData.File("labels.json"), "-o", output,
            "--report", report, "--smooth", "10", "--decimate", "0.5", "--device", "cpu");
        Assert.True(code == 0, stderr);
        foreach (string name in new[] { "vertebra_L1", "vertebra_L2", "sacrum", "femur_left" })
        {
            string file = MeshFileWriter.PartPath(output, name);
            Assert.True(File.Exists(file), $"{file} missing; {stderr}");
            Assert.True(MeshReport.Compute(StlReader.Read(file).Mesh).IsWatertight);
        }

        Assert.Contains("\"name\": \"sacrum\"", File.ReadAllText(report));
    }

    [Fact]
    public void LabelOptionsAreChecked()
    {
        using var temp = new TempFolder();
        string input = LabelMapData.File("ras_sform.nii");
        Assert.Equal(2, CliRunner.Run("mesh", input, "--labels", "tibia", "-o", temp.File("x.stl")).Code);
        Assert.Equal(2, CliRunner.Run("mesh", input, "--labels", "1", "--preset", "bone", "-o", temp.File("x.stl")).Code);
        Assert.Equal(2, CliRunner.Run("mesh", input, "--labels", "1", "-o", temp.File("noextension")).Code);
        Assert.Equal(2, CliRunner.Run("mesh", input, "--split", "-o", temp.File("x.stl")).Code);
        (int planningCode, _, string planningError) = CliRunner.Run("mesh", input, "--labels", "1", "--implant", "-o", temp.File("x.stl"));
        Assert.Equal(2, planningCode);
        Assert.Contains("not to a label map", planningError);
        Assert.Empty(Directory.GetFiles(temp.Path));
        (int code, _, string stderr) = CliRunner.Run("mesh", input, "--labels", "9", "--split", "-o", temp.File("none"), "--device", "cpu");
        Assert.Equal(4, code);
        Assert.Contains("nothing was written", stderr);
    }

    [Fact]
    public void ANiftiVolumeMeshesWithoutLabelsToo()
    {
        using var temp = new TempFolder();
        string output = temp.File("iso.stl");
        (int code, _, string stderr) = CliRunner.Run("mesh", LabelMapData.File("ras_sform.nii"), "--iso", "1", "-o", output, "--device", "cpu");
        Assert.True(code == 0, stderr);
        MeshReport report = MeshReport.Compute(StlReader.Read(output).Mesh);
        Assert.True(report.IsWatertight);
        Assert.Equal(2, report.Shells); // labels 1–3 form one solid, label 5 another
    }
}
