namespace Cellar.Repository.Locking;

/// <summary>
/// The lock an operation needs, as restic's commands take them: none, shared (reading, or adding
/// data as backup does; any number coexist) or exclusive (removing data: forget, prune, tag; no
/// other lock may exist meanwhile). Ordered: a stronger lock covers a weaker need.
/// </summary>
public enum LockMode
{
    None = 0,
    Shared = 1,
    Exclusive = 2,
}
