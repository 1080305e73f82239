// The VolumeMesh data path, one public stage at a time (the CLI's `mesh` command composes the same stages).
// Usage: dotnet run --project native-samples/csharp-sample -- [dicom-folder] [out.stl]
using VolumeMesh.Components;
using VolumeMesh.Dicom;
using VolumeMesh.IO;
using VolumeMesh.Meshing;
using VolumeMesh.Segmentation;
using VolumeMesh.Volumes;

string folder = args.Length > 0 ? args[0] : "samples/ge-head-tilt-jpegll";
string output = args.Length > 1 ? args[1] : "sample-skull.stl";

// 1. Find the series and load it in Hounsfield units, every slice at its exact position (tilt and uneven spacing kept).
DicomScanResult scan = DicomDirectoryScanner.Scan(folder);
DicomSeriesInfo series = scan.DefaultSeries ?? throw new InvalidOperationException($"no CT series in {folder}");
Volume<short> hu = DicomSeriesLoader.LoadHu(series);
Console.WriteLine($"{series}\n{hu.Geometry}");

// 2. Threshold to a bone mask, keep the largest six-connected component, fill the marrow cavities.
HuRange bone = ThresholdPresets.Bone;
Mask mask = Threshold.Apply(hu, bone);
LabelVolume labels = ConnectedComponents.Label(mask, new ConnectedComponentsOptions { Connectivity = Connectivity.Six });
int largest = ComponentSelector.SelectLabels(labels, ComponentSelection.Largest(1))[0];
Mask kept = HoleFilling.Fill(labels.CreateMask([largest]));
Console.WriteLine($"{labels.ComponentCount} components; kept #{largest}: {labels.Statistics[largest - 1]}");

// 3. Marching cubes on the HU field inside the kept mask: closed, manifold, counter-clockwise, in patient LPS mm.
Mesh mesh = MarchingCubes.FromMaskedRange(hu, kept, bone.Low, bone.High);
MeshReport report = MeshReport.Compute(mesh);
Console.WriteLine(report);

// 4. Write a binary STL (header "SPACE=LPS"), atomically.
StlWriter.Write(mesh, output);
Console.WriteLine($"wrote {output}");
return report.IsWatertight ? 0 : 1;
