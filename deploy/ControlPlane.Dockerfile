# Control plane image. Build from the repository root:
#   docker build -f deploy/ControlPlane.Dockerfile -t perftest-control-plane .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# The build fetches the web console's chart library with npm (src/ControlPlane/Console/web/package-lock.json).
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN dotnet publish src/ControlPlane -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
# Bound beyond loopback, the service requires credentials (Auth__Credentials__0__... or Auth__Tokens__0__...).
ENV Urls=http://0.0.0.0:8080 Storage__SqlitePath=/data/perftest.db
# Standalone executors register on Executors__GrpcUrl (HTTP/2) with Executors__SharedSecret; with
# Executors__Tls__CertificatePath/__KeyPath (and __CaPath, __RequireClientCertificate...) it is https:// only.
RUN mkdir -p /data && chown $APP_UID /data
VOLUME /data
EXPOSE 8080
# The image's non-root user (UID 1654), as the Kubernetes manifests require (runAsNonRoot).
USER $APP_UID
ENTRYPOINT ["dotnet", "PerfTest.ControlPlane.dll"]
