using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;
using PerfTest.ControlPlane.Storage;
using Xunit;

namespace PerfTest.ControlPlane.Tests.Health;

/// <summary>Which failures mean "the store cannot be used now" (503), as Npgsql and SQLite raise them.</summary>
public sealed class StoreFailureTests
{
    [Theory]
    [InlineData(SocketError.ConnectionRefused, "the database is unreachable: connection refused")]
    [InlineData(SocketError.HostNotFound, "the database is unreachable: the host name does not resolve")]
    [InlineData(SocketError.TimedOut, "the database is unreachable: connecting timed out")]
    [InlineData(SocketError.HostUnreachable, "the database is unreachable: no route to the server")]
    public void A_failed_connect_names_the_socket_error(SocketError error, string expected) =>
        Assert.Equal(expected, StoreFailure.Describe(new NpgsqlException("Failed to connect to 10.1.2.3:5432", new SocketException((int)error))));

    [Fact]
    public void A_broken_or_slow_connection_is_unreachable_and_says_so_without_the_address()
    {
        Assert.Equal("the database is unreachable: the connection broke",
            StoreFailure.Describe(new NpgsqlException("Exception while reading from stream", new IOException("db.internal:5432 gone"))));
        Assert.Equal("the database is unreachable: the server closed the connection",
            StoreFailure.Describe(new NpgsqlException("Exception while reading from stream", new EndOfStreamException())));
        Assert.Equal("the database is unreachable: it did not answer in time",
            StoreFailure.Describe(new NpgsqlException("Exception while connecting", new TimeoutException())));
        // Wrapped further (a task's AggregateException, an InvalidOperationException of our own): still found.
        Assert.Equal("the database is unreachable: connection refused", StoreFailure.Describe(new InvalidOperationException("x",
            new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused)))));
    }

    [Theory]
    [InlineData("57P01", "the database is unreachable: the server is shutting down (57P01)")]
    [InlineData("57P02", "the database is unreachable: the server is restarting after a crash (57P02)")]
    [InlineData("57P03", "the database is unreachable: the server is starting up or shutting down (57P03)")]
    [InlineData("53300", "the database is unreachable: the server has no free connection (53300)")]
    [InlineData("28P01", "the database is unreachable: the server refused the login (28P01)")]
    [InlineData("3D000", "the database is unreachable: the database does not exist (3D000)")]
    [InlineData("08006", "the database is unreachable: the connection failed (08006)")]
    public void Server_states_that_refuse_the_connection_are_unreachable(string sqlState, string expected) =>
        Assert.Equal(expected, StoreFailure.Describe(new PostgresException("password authentication failed for user \"perftest\"", "FATAL", "FATAL", sqlState)));

    [Theory]
    [InlineData("23505")] // unique violation
    [InlineData("42P01")] // undefined table
    [InlineData("40001")] // serialization failure
    public void A_statement_the_server_rejects_is_not_an_outage(string sqlState) =>
        Assert.Null(StoreFailure.Describe(new PostgresException("m", "ERROR", "ERROR", sqlState)));

    [Theory]
    [InlineData(14, "the database is unavailable: the file cannot be opened (SQLite error 14)")]
    [InlineData(5, "the database is unavailable: the file stayed locked by another writer (SQLite error 5)")]
    [InlineData(13, "the database is unavailable: the disk is full (SQLite error 13)")]
    public void Sqlite_files_that_cannot_be_used_are_unavailable(int code, string expected) =>
        Assert.Equal(expected, StoreFailure.Describe(new SqliteException("SQLite Error", code)));

    [Fact]
    public void Other_failures_are_not_store_outages()
    {
        Assert.Null(StoreFailure.Describe(new SqliteException("SQLite Error 19: 'UNIQUE constraint failed'", 19)));
        Assert.Null(StoreFailure.Describe(new InvalidOperationException("bug")));
        Assert.Null(StoreFailure.Describe(new TimeoutException()));
        Assert.Null(StoreFailure.Describe(new SocketException((int)SocketError.ConnectionRefused))); // not the store's
    }
}
