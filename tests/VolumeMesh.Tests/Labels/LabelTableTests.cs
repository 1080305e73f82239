using VolumeMesh.IO;
using VolumeMesh.Labels;

namespace VolumeMesh.Tests.Labels;

public sealed class LabelTableTests
{
    [Theory]
    [InlineData("labels.json", "vertebra_L1", "femur_left")]
    [InlineData("labels.ctbl", "vertebra_L1", "femur_left")]
    [InlineData("labels_itksnap.txt", "vertebra L1", "femur left")]
    public void TheThreeTableFormsGiveTheSameIdsNamesAndColours(string file, string name1, string name5)
    {
        LabelTable table = LabelTableReader.Read(LabelMapData.File(file));
        Assert.Equal([1, 2, 3, 5], table.Entries.Select(e => e.Id));
        Assert.Equal(name1, table[1].Name);
        Assert.Equal(name5, table[5].Name);
        Assert.Equal(new PartColor(230, 192, 138), table[1].Color);
        Assert.Equal(new PartColor(90, 120, 200), table[5].Color);
        Assert.False(table.Contains(0));
        Assert.Equal("label_4", table[4].Name);
    }

    [Fact]
    public void LabelsAreChosenByIdOrName()
    {
        LabelTable table = LabelTableReader.Read(LabelMapData.File("labels.json"));
        int[] present = [5, 1, 3, 2];
        Assert.Equal([1, 2, 3, 5], table.Select("all", present));
        Assert.Equal([3, 1], table.Select("sacrum, VERTEBRA_L1", present));
        Assert.Equal([2, 7], table.Select("2,label_7,2", present));
        Assert.Throws<ArgumentException>(() => table.Select("tibia", present));
        Assert.Throws<ArgumentException>(() => table.Select("0", present));
        Assert.Throws<ArgumentException>(() => table.Select("1,,2", present));
        Assert.Throws<ArgumentException>(() => LabelTable.Empty.Select("sacrum", present));
        Assert.Equal([4], LabelTable.Empty.Select("label_4", present));
    }

    [Fact]
    public void JsonColoursAsArraysAndErrorsNameTheItem()
    {
        LabelTable table = LabelTableReader.ParseJson("""[ { "id": 9, "name": "implant", "color": [170, 176, 186, 128] } ]""");
        Assert.Equal(new PartColor(170, 176, 186, 128), table[9].Color);
        Assert.Contains("label 0", Assert.Throws<InvalidDataException>(() => LabelTableReader.ParseJson("""{ "labels": [ { "name": "x" } ] }""", "t.json")).Message);
        Assert.Contains("id 3 appears twice", Assert.Throws<InvalidDataException>(() => LabelTableReader.ParseText("3 a 1 2 3 255\n3 b 1 2 3 255\n", "t.ctbl")).Message);
        Assert.Contains("line 2", Assert.Throws<InvalidDataException>(() => LabelTableReader.ParseText("# c\n3 a 1 2\n", "t.ctbl")).Message);
        Assert.Throws<InvalidDataException>(() => LabelTableReader.ParseJson("{ not json", "t.json"));
    }
}
