namespace Cellar.Repository.Storage;

/// <summary>
/// A backend could not do what was asked: the message is a sentence for the user saying what went
/// wrong and what to do next. <see cref="IsTransient"/> tells the retry wrapper whether trying again
/// may help (a timeout, a busy server) or not (no such bucket, access denied).
/// </summary>
public sealed class StorageException : IOException
{
    public StorageException(string message, bool isTransient, Exception? innerException = null)
        : base(message, innerException)
    {
        IsTransient = isTransient;
    }

    public bool IsTransient { get; }
}
