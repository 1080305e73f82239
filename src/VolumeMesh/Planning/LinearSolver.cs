namespace VolumeMesh.Planning;

/// <summary>Small dense linear algebra for the fits: Gaussian elimination and the symmetric 3×3 eigenproblem.</summary>
internal static class LinearSolver
{
    /// <summary>Solves A·x = b in place (x replaces b) by Gaussian elimination with partial pivoting; A (row-major n×n) is destroyed.</summary>
    /// <returns>False when A is singular (a pivot below 1e-12 of the largest entry).</returns>
    public static bool Solve(Span<double> a, Span<double> b, int n)
    {
        double scale = 0;
        foreach (double value in a)
        {
            scale = Math.Max(scale, Math.Abs(value));
        }

        if (!(scale > 0))
        {
            return false;
        }

        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < n; r++)
            {
                if (Math.Abs(a[(r * n) + col]) > Math.Abs(a[(pivot * n) + col]))
                {
                    pivot = r;
                }
            }

            if (Math.Abs(a[(pivot * n) + col]) <= 1e-12 * scale)
            {
                return false;
            }

            if (pivot != col)
            {
                for (int c = 0; c < n; c++)
                {
                    (a[(col * n) + c], a[(pivot * n) + c]) = (a[(pivot * n) + c], a[(col * n) + c]);
                }

                (b[col], b[pivot]) = (b[pivot], b[col]);
            }

            for (int r = col + 1; r < n; r++)
            {
                double f = a[(r * n) + col] / a[(col * n) + col];
                if (f == 0)
                {
                    continue;
                }

                for (int c = col; c < n; c++)
                {
                    a[(r * n) + c] -= f * a[(col * n) + c];
                }

                b[r] -= f * b[col];
            }
        }

        for (int r = n - 1; r >= 0; r--)
        {
            double sum = b[r];
            for (int c = r + 1; c < n; c++)
            {
                sum -= a[(r * n) + c] * b[c];
            }

            b[r] = sum / a[(r * n) + r];
        }

        return true;
    }

    /// <summary>The unit eigenvector of the smallest eigenvalue of a symmetric 3×3 matrix (cyclic Jacobi rotations).</summary>
    /// <param name="m">Row-major symmetric matrix; destroyed.</param>
    /// <returns>The eigenvector and its eigenvalue.</returns>
    public static (double X, double Y, double Z, double Value) SmallestEigenvector(Span<double> m)
    {
        Span<double> v = [1, 0, 0, 0, 1, 0, 0, 0, 1];
        for (int sweep = 0; sweep < 50; sweep++)
        {
            double off = Math.Abs(m[1]) + Math.Abs(m[2]) + Math.Abs(m[5]);
            if (off < 1e-15 * (Math.Abs(m[0]) + Math.Abs(m[4]) + Math.Abs(m[8]) + 1e-300))
            {
                break;
            }

            for (int p = 0; p < 2; p++)
            {
                for (int q = p + 1; q < 3; q++)
                {
                    double apq = m[(3 * p) + q];
                    if (apq == 0)
                    {
                        continue;
                    }

                    double theta = (m[(3 * q) + q] - m[(3 * p) + p]) / (2 * apq);
                    double t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt((theta * theta) + 1));
                    if (theta == 0)
                    {
                        t = 1;
                    }

                    double c = 1 / Math.Sqrt((t * t) + 1);
                    double s = t * c;
                    for (int k = 0; k < 3; k++)
                    {
                        double mkp = m[(3 * k) + p];
                        double mkq = m[(3 * k) + q];
                        m[(3 * k) + p] = (c * mkp) - (s * mkq);
                        m[(3 * k) + q] = (s * mkp) + (c * mkq);
                    }

                    for (int k = 0; k < 3; k++)
                    {
                        double mpk = m[(3 * p) + k];
                        double mqk = m[(3 * q) + k];
                        m[(3 * p) + k] = (c * mpk) - (s * mqk);
                        m[(3 * q) + k] = (s * mpk) + (c * mqk);
                    }

                    for (int k = 0; k < 3; k++)
                    {
                        double vkp = v[(3 * k) + p];
                        double vkq = v[(3 * k) + q];
                        v[(3 * k) + p] = (c * vkp) - (s * vkq);
                        v[(3 * k) + q] = (s * vkp) + (c * vkq);
                    }
                }
            }
        }

        int smallest = 0;
        for (int i = 1; i < 3; i++)
        {
            if (m[(3 * i) + i] < m[(3 * smallest) + smallest])
            {
                smallest = i;
            }
        }

        return (v[smallest], v[3 + smallest], v[6 + smallest], m[(3 * smallest) + smallest]);
    }
}
