package io.tonearm.sinks.postgres;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Read side of {@code analysis_results} for the API: results are shared by every account owning the bytes. */
public final class ResultRepository {

    private static final String COLUMNS = "sha256, analyzer, version, params_hash, params::text, envelope::text, status, error, computed_at";

    private final DataSource dataSource;

    public ResultRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Every result of a recording, newest version of each analyzer first. */
    public List<StoredResult> bySha256(String sha256) {
        return query("SELECT " + COLUMNS + " FROM analysis_results WHERE sha256 = ? ORDER BY analyzer, version DESC, computed_at DESC",
                sha256.toLowerCase(Locale.ROOT), null);
    }

    /** As {@link #bySha256(String)} on a connection the caller holds (the pipeline keeps one per task). */
    public static List<StoredResult> bySha256(Connection c, String sha256) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM analysis_results WHERE sha256 = ?")) {
            ps.setString(1, sha256.toLowerCase(Locale.ROOT));
            return read(ps);
        }
    }

    /** Every version and parameter set of one analyzer on a recording, newest version first. */
    public List<StoredResult> bySha256AndAnalyzer(String sha256, String analyzer) {
        return query("SELECT " + COLUMNS + " FROM analysis_results WHERE sha256 = ? AND analyzer = ? ORDER BY version DESC, computed_at DESC",
                sha256.toLowerCase(Locale.ROOT), analyzer);
    }

    /** The result with exactly this identity. */
    public Optional<StoredResult> find(String sha256, String analyzer, int version, String paramsHash) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                     + " FROM analysis_results WHERE sha256 = ? AND analyzer = ? AND version = ? AND params_hash = ?")) {
            ps.setString(1, sha256.toLowerCase(Locale.ROOT));
            ps.setString(2, analyzer);
            ps.setInt(3, version);
            ps.setString(4, paramsHash);
            List<StoredResult> rows = read(ps);
            return rows.stream().findFirst();
        } catch (SQLException e) {
            throw new Database.DataAccessException(e);
        }
    }

    private List<StoredResult> query(String sql, String sha256, String analyzer) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, sha256);
            if (analyzer != null) ps.setString(2, analyzer);
            return read(ps);
        } catch (SQLException e) {
            throw new Database.DataAccessException(e);
        }
    }

    private static List<StoredResult> read(PreparedStatement ps) throws SQLException {
        List<StoredResult> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new StoredResult(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), ResultStatus.fromSql(rs.getString(7)), rs.getString(8),
                        rs.getTimestamp(9).toInstant()));
            }
        }
        return out;
    }
}
