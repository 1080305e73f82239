#!/bin/bash
# Interleaved rounds: ours (Stopwatch harness: dicom-harness.cs built as a console app referencing
# src/VolumeMesh.Dicom, in /tmp/scratch), pydicom peer, GDCM peer (gdcmload.py, in /tmp), on both folders.
for round in 1 2 3; do
  echo "round $round $(uptime | sed 's/.*load/load/')"
  (cd /tmp/scratch && timeout 600 dotnet bin/Release/net10.0/scratch.dll /work/shared/data/dicom/philips-phantom/S21570/S2030 /tmp/s2030-jpegll)
  for d in /work/shared/data/dicom/philips-phantom/S21570/S2030 /tmp/s2030-jpegll; do
    timeout 300 /usr/bin/python3 /work/shared/peers/dicomload.py $d 2>&1 | tail -1
    timeout 300 /usr/bin/python3 /tmp/gdcmload.py $d 2>&1 | tail -1
  done
done
