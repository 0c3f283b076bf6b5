from conftest import World


def test_file_registered_fixture_makes_registered_right(world: World) -> None:
    rid = world.file_registered()
    info = world.ipl.right(rid)
    assert info.status.name == "REGISTERED"
    assert info.holder == world.alice.address
