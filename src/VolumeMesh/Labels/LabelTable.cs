using System.Globalization;
using VolumeMesh.IO;

namespace VolumeMesh.Labels;

/// <summary>Names and colours of a label map's structures (id → <see cref="LabelInfo"/>), and the choice of labels by id or name.</summary>
/// <remarks>Read one with <see cref="LabelTableReader"/> (JSON, 3D Slicer colour table, ITK-SNAP label description), or use
/// <see cref="Empty"/>: then every label is named <c>label_&lt;id&gt;</c> and coloured from a fixed palette.</remarks>
public sealed class LabelTable
{
    // A fixed, distinguishable palette for labels no table colours (Okabe–Ito with bone first).
    private static readonly PartColor[] s_palette =
    [
        PartColor.Bone, new(230, 159, 0), new(86, 180, 233), new(0, 158, 115), new(240, 228, 66), new(0, 114, 178), new(213, 94, 0), new(204, 121, 167),
    ];

    private readonly Dictionary<int, LabelInfo> _byId;
    private readonly Dictionary<string, LabelInfo> _byName;

    /// <summary>Creates a table.</summary>
    /// <param name="entries">The entries; ids must differ and must not be 0.</param>
    /// <exception cref="ArgumentException">Two entries have the same id, or an id is 0 (background).</exception>
    public LabelTable(IEnumerable<LabelInfo> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        _byId = [];
        _byName = new Dictionary<string, LabelInfo>(StringComparer.OrdinalIgnoreCase);
        var ordered = new List<LabelInfo>();
        foreach (LabelInfo entry in entries)
        {
            if (entry.Id == 0)
            {
                throw new ArgumentException($"Label '{entry.Name}' has id 0, which is the background.", nameof(entries));
            }

            if (!_byId.TryAdd(entry.Id, entry))
            {
                throw new ArgumentException($"Label id {entry.Id} appears twice ('{_byId[entry.Id].Name}' and '{entry.Name}').", nameof(entries));
            }

            _byName.TryAdd(entry.Name, entry);
            ordered.Add(entry);
        }

        Entries = ordered;
    }

    /// <summary>A table with no entries: default names and palette colours.</summary>
    public static LabelTable Empty { get; } = new([]);

    /// <summary>The entries, in the order given.</summary>
    public IReadOnlyList<LabelInfo> Entries { get; }

    /// <summary>The entry of a label: the table's, or <c>label_&lt;id&gt;</c> with a palette colour when the table has none.</summary>
    /// <param name="id">The label id.</param>
    /// <returns>The entry.</returns>
    public LabelInfo this[int id] => _byId.TryGetValue(id, out LabelInfo? info)
        ? info
        : new LabelInfo(id, LabelInfo.DefaultName(id), s_palette[(int)((uint)id % (uint)s_palette.Length)]);

    /// <summary>Whether the table has an entry for the id.</summary>
    /// <param name="id">The label id.</param>
    /// <returns>True when the table names the label.</returns>
    public bool Contains(int id) => _byId.ContainsKey(id);

    /// <summary>Finds a label by name (case ignored); default names <c>label_&lt;id&gt;</c> are found too.</summary>
    /// <param name="name">The name.</param>
    /// <param name="id">The label's id when found.</param>
    /// <returns>Whether the name is known.</returns>
    public bool TryFindByName(string name, out int id)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_byName.TryGetValue(name.Trim(), out LabelInfo? info))
        {
            id = info.Id;
            return true;
        }

        string trimmed = name.Trim();
        if (trimmed.StartsWith("label_", StringComparison.OrdinalIgnoreCase)
            && int.TryParse(trimmed.AsSpan(6), NumberStyles.Integer, CultureInfo.InvariantCulture, out id) && id != 0)
        {
            return true;
        }

        id = 0;
        return false;
    }

    /// <summary>
    /// The label ids a selection names: <c>all</c> (every non-zero id present, ascending), or a comma-separated list of
    /// ids and names (e.g. <c>27,28</c> or <c>vertebrae_L1,vertebrae_L2</c>), in the order given, each once.
    /// </summary>
    /// <param name="selection">The selection text.</param>
    /// <param name="presentIds">The non-zero ids the label map holds (for <c>all</c>).</param>
    /// <returns>The ids; an id the map does not hold is returned too (the caller reports it as absent).</returns>
    /// <exception cref="ArgumentException">The selection is empty, names 0 (background), or a name this table does not know.</exception>
    public IReadOnlyList<int> Select(string selection, IEnumerable<int> presentIds)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(selection);
        ArgumentNullException.ThrowIfNull(presentIds);
        if (string.Equals(selection.Trim(), "all", StringComparison.OrdinalIgnoreCase))
        {
            var all = new List<int>();
            foreach (int id in presentIds)
            {
                if (id != 0)
                {
                    all.Add(id);
                }
            }

            all.Sort();
            return all;
        }

        var ids = new List<int>();
        var seen = new HashSet<int>();
        foreach (string raw in selection.Split(','))
        {
            string token = raw.Trim();
            if (token.Length == 0)
            {
                throw new ArgumentException($"The label selection '{selection}' has an empty item.", nameof(selection));
            }

            if (!int.TryParse(token, NumberStyles.Integer, CultureInfo.InvariantCulture, out int id) && !TryFindByName(token, out id))
            {
                throw new ArgumentException(
                    Entries.Count == 0
                        ? $"Label '{token}' is neither an id nor a default name label_<id>; give a label table to choose labels by name."
                        : $"Label '{token}' is neither an id nor a name in the label table ({Entries.Count} entries).",
                    nameof(selection));
            }

            if (id == 0)
            {
                throw new ArgumentException("Label 0 is the background, not a structure.", nameof(selection));
            }

            if (seen.Add(id))
            {
                ids.Add(id);
            }
        }

        return ids;
    }
}
