using System.Buffers;
using System.Diagnostics.Tracing;
using VolumeMesh.Meshing;
using VolumeMesh.Processing;

namespace VolumeMesh.Tests.Processing;

/// <summary>Runs alone: the shared pool's rent events are process-wide, so no other test may rent while one is listening.</summary>
[CollectionDefinition(nameof(SharedPoolTests), DisableParallelization = true)]
public sealed class SharedPoolCollection;

/// <summary>
/// Decimation, smoothing and cleanup take nothing from <see cref="ArrayPool{T}.Shared"/> (issue 10: no pool parked after a
/// run): their buffers are exact-size arrays that go with the run. Seen through the runtime's ArrayPool event source, which
/// reports every rent from the shared pools.
/// </summary>
[Collection(nameof(SharedPoolTests))]
public sealed class SharedPoolTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void DecimationSmoothingAndCleanupRentNothingFromTheSharedPool(bool passes)
    {
        // 20 480 triangles: the queue, or parallel passes over small slabs; a ratio deep enough for the fans to be compacted.
        Mesh sphere = TestMeshes.Icosphere(10, 5);
        var options = new DecimationOptions { ReductionRatio = 0.9, MaxDegreeOfParallelism = 2 };
        using var listener = new SharedPoolListener();

        // The control: a rent the listener must see, so that an empty list below means something.
        int[] control = ArrayPool<int>.Shared.Rent(12_345);
        ArrayPool<int>.Shared.Return(control);

        DecimationResult result = MeshDecimator.DecimateInOrder(sphere, options, null, default, usePasses: passes, maxThreads: 2, slabVertices: 512);
        Mesh smoothed = MeshSmoother.WindowedSinc(result.Mesh, new WindowedSincOptions { Iterations = 5, MaxDegreeOfParallelism = 2 });
        MeshCleanupResult cleaned = MeshCleanup.Clean(smoothed, new MeshCleanupOptions { MinShellVolumeMm3 = 1 });

        IReadOnlyList<int> sizes = listener.RentedSizes();
        Assert.True(result.Mesh.TriangleCount < sphere.TriangleCount / 5, $"{result.Mesh.TriangleCount} triangles left");
        Assert.Equal(result.Mesh.TriangleCount, cleaned.Mesh.TriangleCount);
        Assert.True(sizes.Count >= 1 && sizes[0] == control.Length, $"the control rent was not seen: [{string.Join(", ", sizes)}]");
        Assert.True(sizes.Count == 1, $"rented from a shared pool: [{string.Join(", ", sizes)}]");
    }

    /// <summary>Records the buffer size of every rent from a shared array pool while it lives.</summary>
    private sealed class SharedPoolListener : EventListener
    {
        private const int BufferRented = 1;
        private readonly List<int> _sizes = [];
        private volatile bool _stopped;

        public IReadOnlyList<int> RentedSizes()
        {
            _stopped = true;
            lock (_sizes)
            {
                return [.. _sizes];
            }
        }

        public override void Dispose()
        {
            _stopped = true;
            base.Dispose();
        }

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "System.Buffers.ArrayPoolEventSource")
            {
                EnableEvents(eventSource, EventLevel.Verbose);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            if (_stopped || eventData.EventId != BufferRented || eventData.Payload is null)
            {
                return;
            }

            int index = eventData.PayloadNames?.IndexOf("bufferSize") ?? -1;
            if (index >= 0 && eventData.Payload[index] is int size)
            {
                // _sizes may still be null while the base constructor reports the existing sources.
                List<int>? sizes = _sizes;
                if (sizes is not null)
                {
                    lock (sizes)
                    {
                        sizes.Add(size);
                    }
                }
            }
        }
    }
}
