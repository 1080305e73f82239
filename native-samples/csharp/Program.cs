// VolumeMesh from its NuGet packages: the shipped CT series to a watertight skull as STL, 3MF and GLB, with progress.
// Usage: dotnet run -- [dicom-folder] [output-folder]     (README.md beside this file: how to make the local feed)
using VolumeMesh.Components;
using VolumeMesh.Dicom;
using VolumeMesh.IO;
using VolumeMesh.Meshing;
using VolumeMesh.Pipeline;
using VolumeMesh.Sample;
using VolumeMesh.Segmentation;
using VolumeMesh.Volumes;

string folder = args.Length > 0 ? args[0] : Path.Combine("..", "..", "samples", "ge-head-tilt-jpegll");
string outputFolder = args.Length > 1 ? args[1] : "out";
Directory.CreateDirectory(outputFolder);

// The series with the most slices, in Hounsfield units, every slice at its own position (tilt, uneven spacing kept).
DicomScanResult scan = DicomDirectoryScanner.Scan(folder);
DicomSeriesInfo series = scan.DefaultSeries ?? throw new InvalidOperationException($"no CT series in {folder}");
Volume<short> hu = DicomSeriesLoader.LoadHu(series);
Console.WriteLine(series);

// Bone, the largest connected piece only, cavities filled: one closed shell.
var options = new VolumeMeshPipelineOptions
{
    Range = ThresholdPresets.Bone,
    Keep = ComponentSelection.Largest(1),
    FillHoles = true,
    Device = "cpu",
};
var progress = new ConsoleProgress();
VolumeMeshResult result = VolumeMeshPipeline.Mesh(PipelineVolume.FromInt16(hu, folder), options, progress);
Console.WriteLine(result.Report);

// The same mesh in three formats (chosen by extension), each written atomically, then read back and checked.
bool allClosed = result.Report.IsWatertight;
foreach (string extension in new[] { ".stl", ".3mf", ".glb" })
{
    string path = Path.Combine(outputFolder, "skull" + extension);
    VolumeMeshPipeline.WriteMesh(result.Mesh, path, options);
    MeshFile file = MeshFileReader.Read(path);
    foreach (MeshPart part in file.Parts)
    {
        MeshReport back = MeshReport.Compute(part.Mesh);
        allClosed &= back.IsWatertight && back.Triangles == result.Report.Triangles;
        Console.WriteLine($"wrote {path}: {back.Triangles} triangles, closed {back.IsClosed}, watertight {back.IsWatertight}");
    }
}

return allClosed ? 0 : 1;
