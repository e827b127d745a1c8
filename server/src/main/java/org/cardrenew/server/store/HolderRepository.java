package org.cardrenew.server.store;

import java.time.Instant;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Card holders. */
@Repository
public class HolderRepository {

    private final JdbcClient jdbc;

    public HolderRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts the holder, or updates name, organisation, e-mail and language of an existing one. */
    public void save(Holder holder, Instant now) {
        int updated = update(holder, now);
        if (updated == 0) {
            try {
                jdbc.sql("""
                        INSERT INTO holder (holder_id, name, organization, email, language, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?)""")
                        .params(
                                holder.id().value(),
                                holder.name(),
                                holder.organization(),
                                holder.email(),
                                holder.language(),
                                Timestamps.of(now),
                                Timestamps.of(now))
                        .update();
            } catch (DuplicateKeyException raced) {
                update(holder, now);
            }
        }
    }

    private int update(Holder holder, Instant now) {
        return jdbc.sql(
                        "UPDATE holder SET name = ?, organization = ?, email = ?, language = ?, updated_at = ? WHERE holder_id = ?")
                .params(
                        holder.name(),
                        holder.organization(),
                        holder.email(),
                        holder.language(),
                        Timestamps.of(now),
                        holder.id().value())
                .update();
    }

    public Optional<Holder> find(HolderId id) {
        return jdbc.sql("SELECT holder_id, name, organization, email, language FROM holder WHERE holder_id = ?")
                .param(id.value())
                .query((rs, n) -> new Holder(
                        new HolderId(rs.getString("holder_id")),
                        rs.getString("name"),
                        rs.getString("organization"),
                        rs.getString("email"),
                        rs.getString("language")))
                .optional();
    }
}
