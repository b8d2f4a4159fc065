package io.aichatbot.store;

/**
 * The one path all writes take. {@link #write} returns only after the work's transaction has
 * committed (durably, for SQLite with synchronous=FULL): "returned" means "saved".
 */
interface Writer extends AutoCloseable {

    <T> T write(SqlWork<T> work);

    /** Units of work waiting for the write path (always 0 where writes are not queued). */
    default int queued() {
        return 0;
    }

    @Override
    void close();
}
