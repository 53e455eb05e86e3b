"""The bundled fictional sample bureau (staff.xlsx, duty.toml), shipped as roster.sample."""
