package io.capstan.store.sqlite;

import io.capstan.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * The only writer: one thread drains the queue of pending mutations and commits them in one
 * transaction (group commit), so concurrent writers share a commit instead of queueing for one each.
 * Callers are answered after the commit and after the committed rows were published to watchers.
 */
final class GroupCommitWriter implements AutoCloseable {

    private static final int MAX_BATCH = 1_000;

    private final Connection connection;
    private final PreparedStatement latest;
    private final PreparedStatement insert;
    private final Consumer<List<Row>> publish;
    private final BlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private long committed; // the writer thread's own: the newest revision committed
    private boolean closed; // guarded by this: no job is queued after Stop

    /** publish gets each batch's rows in revision order, on the writer thread, right after their commit. */
    GroupCommitWriter(Connection connection, long committed, Consumer<List<Row>> publish) throws SQLException {
        this.connection = connection;
        this.committed = committed;
        this.publish = publish;
        connection.setAutoCommit(false);
        latest = Reads.prepareLatest(connection);
        insert = connection.prepareStatement(Row.INSERT);
        thread = Thread.ofPlatform().daemon().name("sqlite-writer").start(this::loop);
    }

    /** Applies change to key's newest row and writes the result; returns it once committed. */
    Row write(String key, Job.Change change) {
        return await(submit(new Job.Mutation(key, change, new CompletableFuture<>())).done());
    }

    /** Runs work in a transaction of its own on the write connection; returns once committed. */
    void maintain(Job.Work work) {
        await(submit(new Job.Maintenance(work, new CompletableFuture<>())).done());
    }

    private synchronized <J extends Job> J submit(J job) {
        if (closed) {
            throw new StoreException("store is closed");
        }
        queue.add(job);
        return job;
    }

    private static <T> T await(CompletableFuture<T> done) {
        try {
            return done.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                // Thrown on the writer thread; a fresh wrapper would hide KeyExists and friends from callers.
                throw cause;
            }
            throw new StoreException("write failed: " + e.getCause(), e.getCause());
        }
    }

    private void loop() {
        List<Job> batch = new ArrayList<>();
        List<Job.Mutation> mutations = new ArrayList<>();
        try {
            while (true) {
                batch.add(queue.take());
                queue.drainTo(batch, MAX_BATCH - 1);
                for (Job job : batch) {
                    switch (job) {
                        case Job.Mutation m -> mutations.add(m);
                        case Job.Maintenance m -> {
                            commit(mutations);
                            maintain(m);
                        }
                        case Job.Stop s -> {
                            commit(mutations);
                            return;
                        }
                    }
                }
                commit(mutations);
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stopped(batch);
        }
    }

    /** However the loop ended, no caller may wait forever: whatever is still unanswered fails. */
    private void stopped(List<Job> batch) {
        synchronized (this) {
            closed = true;
        }
        queue.drainTo(batch);
        StoreException failure = new StoreException("store is closed");
        for (Job job : batch) {
            switch (job) {
                case Job.Mutation m -> m.done().completeExceptionally(failure);
                case Job.Maintenance m -> m.done().completeExceptionally(failure);
                case Job.Stop s -> { }
            }
        }
        Schema.closeQuietly(connection);
    }

    /** Writes the mutations in one transaction; one failed precondition fails only its own caller. */
    private void commit(List<Job.Mutation> mutations) {
        if (mutations.isEmpty()) {
            return;
        }
        List<Row> rows = new ArrayList<>(mutations.size());
        Object[] outcomes = new Object[mutations.size()];
        long next = committed;
        try {
            for (int i = 0; i < mutations.size(); i++) {
                Job.Mutation m = mutations.get(i);
                try {
                    // Sees this batch's earlier rows: they are in the same open transaction.
                    Row row = m.change().apply(Reads.latest(latest, m.key(), Long.MAX_VALUE).orElse(null), next + 1);
                    row.bind(insert);
                    insert.executeUpdate();
                    next = row.id();
                    rows.add(row);
                    outcomes[i] = row;
                } catch (RuntimeException e) {
                    outcomes[i] = e;
                }
            }
            connection.commit();
        } catch (SQLException e) {
            rollback();
            StoreException failure = new StoreException("write failed: " + e.getMessage(), e);
            mutations.forEach(m -> m.done().completeExceptionally(failure));
            mutations.clear();
            return;
        }
        committed = next;
        publish.accept(rows);
        for (int i = 0; i < outcomes.length; i++) {
            CompletableFuture<Row> done = mutations.get(i).done();
            if (outcomes[i] instanceof Row row) {
                done.complete(row);
            } else {
                done.completeExceptionally((RuntimeException) outcomes[i]);
            }
        }
        mutations.clear();
    }

    private void maintain(Job.Maintenance m) {
        try {
            m.work().run(connection);
            connection.commit();
            m.done().complete(null);
        } catch (SQLException | RuntimeException e) {
            rollback();
            m.done().completeExceptionally(e instanceof SQLException ? new StoreException(e.getMessage(), e) : e);
        }
    }

    private void rollback() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            // the connection is broken; the next commit reports it to its callers
        }
    }

    /** Commits what is queued, then stops the writer and closes its connection. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(new Job.Stop());
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
