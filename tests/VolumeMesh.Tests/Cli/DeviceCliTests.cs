using VolumeMesh.IO;
using VolumeMesh.Tests.Support;

namespace VolumeMesh.Tests.Cli;

public sealed class DeviceCliTests
{
    [Fact]
    public void DevicesListsTheCpuPathsAndWhatAutoPicks()
    {
        (int code, string stdout, string stderr) = CliRunner.Run("devices");
        Assert.True(code == 0, stderr);
        Assert.Contains("cpu (Cpu)", stdout, StringComparison.Ordinal);
        Assert.Contains("ilgpu-cpu", stdout, StringComparison.Ordinal);
        Assert.Contains("auto →", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void IlgpuCpuWritesTheSameFileAsTheManagedPath()
    {
        using var folder = new TempFolder();
        string phantom = folder.File("ct.nrrd");
        Assert.Equal(0, CliRunner.Run("phantom", "-o", phantom, "--size", "6", "--matrix", "48").Code);
        string cpu = folder.File("cpu.stl"), ilgpu = folder.File("ilgpu.stl");
        (int code, _, string stderr) = CliRunner.Run("mesh", phantom, "-o", cpu, "--device", "cpu");
        Assert.True(code == 0, stderr);
        (code, _, stderr) = CliRunner.Run("mesh", phantom, "-o", ilgpu, "--device", "ilgpu-cpu");
        Assert.True(code == 0, stderr);
        Assert.Contains("Meshed on ilgpu-cpu", stderr, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(cpu), File.ReadAllBytes(ilgpu));
    }

    [Fact]
    public void ComponentsLabelledOnTheIlgpuCpuAcceleratorGiveTheSameModel()
    {
        using var folder = new TempFolder();
        string phantom = folder.File("ct.nrrd");
        Assert.Equal(0, CliRunner.Run("phantom", "-o", phantom, "--size", "8", "--matrix", "48").Code);
        string cpu = folder.File("cpu.stl"), ilgpu = folder.File("ilgpu.stl");
        string cpuReport = folder.File("cpu.json"), ilgpuReport = folder.File("ilgpu.json");
        (int code, _, string stderr) = CliRunner.Run("mesh", phantom, "-o", cpu, "--device", "cpu", "--keep", "2", "--connectivity", "26", "--report", cpuReport);
        Assert.True(code == 0, stderr);
        (code, _, stderr) = CliRunner.Run("mesh", phantom, "-o", ilgpu, "--device", "ilgpu-cpu", "--keep", "2", "--connectivity", "26", "--report", ilgpuReport);
        Assert.True(code == 0, stderr);
        Assert.Equal(File.ReadAllBytes(cpu), File.ReadAllBytes(ilgpu));

        // The same components, in the same order, with the same statistics.
        using var a = System.Text.Json.JsonDocument.Parse(File.ReadAllText(cpuReport));
        using var b = System.Text.Json.JsonDocument.Parse(File.ReadAllText(ilgpuReport));
        Assert.Equal(a.RootElement.GetProperty("components").GetRawText(), b.RootElement.GetProperty("components").GetRawText());
    }

    [Fact]
    public void AMissingDeviceIsABadInputListingWhatExists()
    {
        using var folder = new TempFolder();
        (int code, _, string stderr) = CliRunner.Run("mesh", folder.File("absent.nrrd"), "-o", folder.File("m.stl"), "--device", "cuda:7");
        Assert.Equal(2, code);
        Assert.Contains("cuda:7", stderr, StringComparison.Ordinal);
        Assert.Contains("ilgpu-cpu", stderr, StringComparison.Ordinal);
    }
}
