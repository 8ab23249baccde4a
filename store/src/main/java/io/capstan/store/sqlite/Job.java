package io.capstan.store.sqlite;

import io.capstan.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;

/** Work for the writer thread. */
sealed interface Job {

    /** Decides a key's new row from its newest row (null: none) and the revision it gets. */
    interface Change {
        /** @throws StoreException when the change's precondition fails; only its own caller sees it */
        Row apply(Row latest, long revision);
    }

    /** Work on the write connection inside one transaction of its own. */
    interface Work {
        void run(Connection c) throws SQLException;
    }

    /** A create, update or delete of one key; committed together with the others in the queue. */
    record Mutation(String key, Change change, CompletableFuture<Row> done) implements Job {}

    /** Maintenance such as compaction, in its own transaction between batches. */
    record Maintenance(Work work, CompletableFuture<Void> done) implements Job {}

    /** The last job: the writer commits what came before and ends. */
    record Stop() implements Job {}
}
