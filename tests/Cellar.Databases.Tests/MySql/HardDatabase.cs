using Cellar.Testing;


namespace Cellar.Databases.Tests.MySql;

/// <summary>A database built to be hard to dump exactly: every type at its extremes, NULLs, a 6 MB blob, odd names, FK cycle, MyISAM, view on view, trigger.</summary>
internal static class HardDatabase
{
    public const string Schema = """
        CREATE TABLE `types` (
          id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
          ti TINYINT, tu TINYINT UNSIGNED, si SMALLINT, mi MEDIUMINT, bi BIGINT, bu BIGINT UNSIGNED,
          f FLOAT, d DOUBLE, dec1 DECIMAL(65,30), dec2 DECIMAL(10,0),
          b1 BIT(1), b7 BIT(7), b64 BIT(64),
          dt DATE, dtm DATETIME(6), ts TIMESTAMP(6) NULL DEFAULT NULL, tm TIME(6), yr YEAR,
          c CHAR(10), vc VARCHAR(300), tx LONGTEXT, bin BINARY(4), vb VARBINARY(300), bl BLOB,
          j JSON, e ENUM('a','b','c d'), s SET('x','y','z'), g GEOMETRY, pt POINT,
          l1 VARCHAR(50) CHARACTER SET latin1,
          gen INT AS (ti + 1) VIRTUAL, gens VARCHAR(310) AS (CONCAT(vc, '!')) STORED
        ) ENGINE=InnoDB AUTO_INCREMENT=1000;
        CREATE TABLE `no key` (a INT, `select` VARCHAR(20), `we``ird col` DOUBLE) ENGINE=InnoDB;
        CREATE TABLE parent (id INT PRIMARY KEY, child_id INT, note VARCHAR(50)) ENGINE=InnoDB;
        CREATE TABLE child (id INT PRIMARY KEY, parent_id INT, note VARCHAR(50), CONSTRAINT fk_child_parent FOREIGN KEY (parent_id) REFERENCES parent (id)) ENGINE=InnoDB;
        ALTER TABLE parent ADD CONSTRAINT fk_parent_child FOREIGN KEY (child_id) REFERENCES child (id);
        CREATE TABLE legacy (id INT PRIMARY KEY, v VARCHAR(20), f FLOAT) ENGINE=MyISAM;
        CREATE TABLE `données ✓` (`clé` VARCHAR(20) PRIMARY KEY, `valeur ✓` TEXT) ENGINE=InnoDB;
        CREATE TABLE big (id INT PRIMARY KEY, payload LONGBLOB) ENGINE=InnoDB;
        CREATE TABLE `empty` (id INT PRIMARY KEY) ENGINE=InnoDB;
        """;

    public const string Data = """
        SET time_zone = '+00:00';
        SET sql_mode = 'NO_AUTO_VALUE_ON_ZERO';
        INSERT INTO types (id, ti, tu, si, mi, bi, bu, f, d, dec1, dec2, b1, b7, b64, dt, dtm, ts, tm, yr, c, vc, tx, bin, vb, bl, j, e, s, g, pt, l1) VALUES
        (1, -128, 255, -32768, -8388608, -9223372036854775808, 18446744073709551615, 3.4028234663852886e38, 1.7976931348623157e308,
         '-99999999999999999999999999999999999.999999999999999999999999999999', -9999999999, b'1', b'1111111', b'1111111111111111111111111111111111111111111111111111111111111111',
         '0000-00-00', '0000-00-00 00:00:00', '1970-01-01 00:00:01.000001', '-838:59:59.000000', 1901,
         'ten chars!', 'it''s; a \\ test\n\r\0 \Z "q" `b` ;;', REPEAT('long text 😀 ', 3000), 0x00000000, 0x00FF27225C0A0D1A3B, 0x0102,
         '{"a": [1, 2.5, "x"], "emoji": "🎉", "nested": {"k": null}}', 'c d', 'x,z', ST_GeomFromText('POLYGON((0 0,10 0,10 10,0 10,0 0))'), POINT(1.5, -2.25),
         _latin1 0x636166E9),
        (2, 127, 0, 32767, 8388607, 9223372036854775807, 0, 1.17549435e-38, 4.9e-324,
         '99999999999999999999999999999999999.999999999999999999999999999999', 9999999999, b'0', b'0', b'0',
         '9999-12-31', '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07.999999', '838:59:59.999999', 2155,
         '', '', '', 0xFFFFFFFF, '', '', '[]', 'a', '', POINT(0, 0), POINT(-180, 90), ''),
        (3, 0, 1, 0, 0, 0, 1, 1.4e-45, 2.2250738585072014e-308, '0.000000000000000000000000000001', 0, NULL, b'1010101', b'1000000000000000000000000000000000000000000000000000000000000001',
         '2024-02-29', '1000-01-01 00:00:00.000000', '2024-06-30 12:00:00', '00:00:00.5', 0, 'a', 'zero-width\u200b joiner 👨‍👩‍👧 and 𝄞', 'tab\there', 0x01000000, 0x00, 0x00,
         '"just a string"', 'a', 'x,y,z', ST_GeomFromText('GEOMETRYCOLLECTION(POINT(1 1),LINESTRING(0 0,1 1,2 3))'), POINT(0.1, 0.2), 'ÿ'),
        (4, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
        (5, 1, 2, 3, 4, 5, 6, 0.1, 0.1, '0.1', 1, b'1', b'1', b'101', '2020-00-15', '2020-01-01 00:00:00.123456', '2001-09-09 01:46:40.5', '-00:00:01', 2000, 'x', 'plain', 'plain',
         0x61626364, 0x2D2D202D2D0A2F2A, 0xDEADBEEF, '{"n": 1.0000000000000002}', 'b', 'y', ST_GeomFromText('MULTIPOLYGON(((0 0,1 0,1 1,0 0)))'), POINT(1e300, -1e-300), NULL),
        (6, -1, 254, -1, -1, -1, 18446744073709551614, -0.0, -0.0, '-0.000000000000000000000000000001', -1, b'0', b'1000000', b'0111', '0001-01-01', '2000-02-29 00:00:00', NULL, '12:34:56.789', 1999, NULL, NULL, NULL, NULL, NULL, NULL,
         NULL, NULL, NULL, NULL, NULL, NULL),
        (7, 0, 0, 0, 0, 0, 0, 16777217, 1e0/3e0, 0, 0, b'1', b'11', b'11', '2000-01-01', '2000-01-01', NULL, '00:00:00', 2001, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
        (8, 0, 0, 0, 0, 0, 0, -3.4028234663852886e38, -1.7976931348623157e308, 0, 0, b'1', b'11', b'11', '2000-01-01', '2000-01-01', NULL, '00:00:00', 2001, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
        (9, 0, 0, 0, 0, 0, 0, 123456.789, 123456789.123456789, 0, 0, b'1', b'11', b'11', '2000-01-01', '2000-01-01', NULL, '00:00:00', 2001, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
        UPDATE types SET bl = (SELECT GROUP_CONCAT(CHAR(seq) SEPARATOR '') FROM (SELECT seq FROM seq_0_to_255) s) WHERE id = 3;
        INSERT INTO `no key` VALUES (1, 'a', 0.5), (1, 'a', 0.5), (NULL, NULL, NULL), (2, 'b;c', -1e-10), (0, '', 0);
        INSERT INTO child VALUES (1, NULL, 'c1'), (2, NULL, 'c2');
        INSERT INTO parent VALUES (1, 1, 'p1'), (2, 2, 'p2');
        UPDATE child SET parent_id = 2 WHERE id = 1;
        UPDATE child SET parent_id = 1 WHERE id = 2;
        INSERT INTO legacy VALUES (1, 'myisam', 0.3), (2, NULL, NULL);
        INSERT INTO `données ✓` VALUES ('clé 1', 'valeur 😀'), ('ключ', 'значение'), ('a''b`c', NULL);
        INSERT INTO big VALUES (1, REPEAT(RANDOM_BYTES(1000), 6300)), (2, RANDOM_BYTES(1000)), (3, '');
        CREATE VIEW `v_types` AS SELECT id, f, d, vc FROM types WHERE id < 5;
        CREATE VIEW `a_view_on_view` AS SELECT id, vc FROM `v_types` WHERE id > 1;
        CREATE TRIGGER child_note BEFORE INSERT ON child FOR EACH ROW BEGIN SET NEW.note = CONCAT(IFNULL(NEW.note, ''), ';x'); SET NEW.note = CONCAT(NEW.note, ';y'); END;
        """;

    public static async Task CreateAsync(MariaDbServer server, string database)
    {
        await using var connection = await server.OpenAsync(database);
        foreach (var sql in new[] { Schema, Data })
        {
            await using var cmd = new MySqlConnector.MySqlCommand(sql, connection);
            await cmd.ExecuteNonQueryAsync();
        }
    }
}
