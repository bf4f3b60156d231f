using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace PerfTest.Executor.Hosting;

/// <summary>
/// Executor and control plane authenticate each other with a shared secret sent as
/// "authorization: Bearer ..." on every gRPC call; a call without it is refused.
/// </summary>
public sealed class SharedSecretInterceptor(string secret) : Interceptor
{
    private readonly byte[] _expected = Encoding.UTF8.GetBytes("Bearer " + secret);

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(request, responseStream, context);
    }

    private void Check(ServerCallContext context)
    {
        var presented = Encoding.UTF8.GetBytes(context.RequestHeaders.GetValue("authorization") ?? "");
        if (secret.Length == 0 || !CryptographicOperations.FixedTimeEquals(presented, _expected))
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "the shared secret is missing or wrong"));
        }
    }
}
