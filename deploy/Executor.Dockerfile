# Standalone executor image (a member of a private resource group). Build from the repository root:
#   docker build -f deploy/Executor.Dockerfile -t perftest-executor .
# Run with the control plane's gRPC address and shared secret:
#   docker run -e Executor__ControlPlaneUrl=http://control-plane:5081 -e Executor__SharedSecret=... \
#     -e Executor__ClusterId=1 -e Executor__AdvertisedUrl=http://<this-host>:7001 -p 7001:7001 perftest-executor
# With TLS (Executor__Tls__CertificatePath, __KeyPath, __CaPath... from a mounted Secret; docs/configuration.md), every
# address must be https://: also set Urls=https://0.0.0.0:7001.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Executor -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
# gRPC (HTTP/2) on 7001; the health probes (/healthz/live, /healthz/ready) over HTTP/1.1 on 7002.
ENV Urls=http://0.0.0.0:7001 Executor__HealthUrl=http://0.0.0.0:7002
EXPOSE 7001 7002
# The image's non-root user (UID 1654), as the Kubernetes manifests require (runAsNonRoot).
USER $APP_UID
ENTRYPOINT ["dotnet", "PerfTest.Executor.dll"]
