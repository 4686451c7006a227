package dev.berth.provisioning;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The engine tests' double keeps the contract too, or they would prove nothing. */
class FakeBackendContractTests extends WorkspaceBackendContract {

    @Override
    protected WorkspaceBackend createBackend() {
        return FakeBackend.healthy();
    }

    @Override
    protected WorkspaceSpec spec(UUID workspaceId) {
        return TestSpecs.spec(workspaceId, List.of("fake"));
    }

    @Override
    protected Map<String, String> homeFiles(WorkspaceSpec spec, BackendRefs refs) {
        return Map.copyOf(((FakeBackend) backend).files.getOrDefault(spec.workspaceId(), Map.of()));
    }

    @Override
    protected void writeHomeFile(WorkspaceSpec spec, BackendRefs refs, String path, String content) {
        ((FakeBackend) backend).files.get(spec.workspaceId()).put(path, content);
    }

    static final class TestSpecs {
        private TestSpecs() {}

        static WorkspaceSpec spec(UUID workspaceId, List<String> command) {
            return new WorkspaceSpec(
                    workspaceId,
                    "owner-1",
                    "scope-1",
                    "test",
                    "process",
                    command,
                    null,
                    8000,
                    "/ws/" + workspaceId + "/",
                    true,
                    "/",
                    1000,
                    512,
                    Map.of("GREETING", "hello from {port}"),
                    Duration.ofSeconds(30),
                    null);
        }
    }
}
