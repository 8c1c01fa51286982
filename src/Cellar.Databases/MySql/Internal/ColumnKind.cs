namespace Cellar.Databases.MySql.Internal;

/// <summary>How a column's value is selected and written.</summary>
internal enum ColumnKind
{
    /// <summary>Numbers: selected as text, written bare.</summary>
    Number,

    /// <summary>FLOAT: widened exactly to DOUBLE on the server, printed shortest-round-trip, written bare.</summary>
    Float,

    /// <summary>BIT: as an unsigned integer, written bare.</summary>
    Bit,

    /// <summary>Dates and times: text, quoted.</summary>
    Temporal,

    /// <summary>UTF-8 text (utf8mb4/utf8mb3 strings, ENUM, SET, JSON): quoted with escapes.</summary>
    Utf8Text,

    /// <summary>Text in another character set: hex with a charset introducer.</summary>
    OtherText,

    /// <summary>Binary strings, blobs and spatial values: hex.</summary>
    Binary,
}
