namespace Cellar.Databases;

/// <summary>Which moment the tables of a dump come from.</summary>
public enum ConsistencyGuarantee
{
    /// <summary>Every table from one moment: a global read lock was held while all snapshot transactions opened (and while non-transactional tables were read).</summary>
    AllTablesOneMoment,

    /// <summary>Transactional (InnoDB) tables from one moment through a single connection's snapshot; non-transactional tables (MyISAM ...) were read without a lock and may be from other moments.</summary>
    TransactionalTablesOneMoment,
}
