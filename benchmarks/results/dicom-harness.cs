using System.Diagnostics;
using VolumeMesh.Dicom;
// Stopwatch harness: median of N runs after one warm-up; MB/s = file bytes / seconds.
foreach (var folder in args)
{
    long bytes = Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
    double Median(Func<object> fn, int n = 7) { fn(); var t = new List<double>(); for (int i = 0; i < n; i++) { var sw = Stopwatch.StartNew(); fn(); t.Add(sw.Elapsed.TotalSeconds); } t.Sort(); return t[n / 2]; }
    var series = DicomDirectoryScanner.Scan(folder).DefaultSeries!;
    double scan = Median(() => DicomDirectoryScanner.Scan(folder));
    double load = Median(() => DicomSeriesLoader.LoadHu(series));
    double both = Median(() => DicomSeriesLoader.LoadDefaultHu(folder));
    double one = Median(() => DicomSeriesLoader.LoadHu(series, new DicomLoadOptions { MaxDegreeOfParallelism = 1 }));
    Console.WriteLine($"{folder}: {bytes / 1e6:F1} MB, {series.SliceCount} slices; scan {scan:F3}s; load {load:F3}s; scan+load {both:F3}s = {bytes / 1e6 / both:F0} MB/s, {series.SliceCount / both:F0} slices/s; load 1 thread {one:F3}s");
}
