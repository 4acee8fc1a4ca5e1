-- Model imports (docs/importing-models.md): a version is reserved as 'importing' before any of its files
-- are written and flips to 'ready' in one statement at the end, so a half-written version is never
-- taken for a registered one; a rejected import deletes its reservation.
alter table model_versions add column state text not null default 'ready' check (state in ('importing', 'ready'));
alter table model_versions alter column base_model drop not null;
alter table model_versions drop constraint model_versions_method_check;
alter table model_versions add constraint model_versions_method_check
    check (method in ('full', 'lora', 'import_diffusers', 'import_single_file', 'import_lora'));
