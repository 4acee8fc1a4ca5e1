package io.stipple.gateway.rest;

import io.smallrye.mutiny.Uni;
import io.stipple.gateway.auth.Caller;
import io.stipple.gateway.rest.model.ModelEntry;
import io.stipple.gateway.service.ModelCatalog;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.List;

@Path("/v1/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelsResource {

    private final Caller caller;
    private final ModelCatalog catalog;

    public ModelsResource(Caller caller, ModelCatalog catalog) {
        this.caller = caller;
        this.catalog = catalog;
    }

    @GET
    @Operation(summary = "Model versions the caller can name", description = "The bundled models, then the versions "
            + "produced by the caller's own fine-tunes, newest first.")
    public Uni<List<ModelEntry>> list() {
        return catalog.list(caller.tenantId());
    }
}
